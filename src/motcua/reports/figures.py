"""The figures the reports' templates ask for that no part of MotCua measures yet: listed, so
that a report shows "not yet measured" in their place rather than leaving them out or 0."""

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from motcua.core.figures import NotMeasured, Value, per_unit
from motcua.core.models import AdministrativeUnit

OTHER = "other"  # the section


for _key, _label in (
    ("published_on_time", _("Procedures published on time")),
    ("updated_on_time", _("Procedures updated on time")),
    ("reused_data", _("Reuse of digitised data")),
    ("citizen_data_store", _("Results shared to the citizen data store")),
    ("population_db_procedures", _("Procedures connected to the population database")),
    ("population_db_dossiers", _("Dossiers using the population database")),
    ("feedback_satisfaction", _("Satisfaction with feedback handling")),
):

    def _unknown(unit: AdministrativeUnit, start: datetime, end: datetime) -> Value:
        return NotMeasured(str(_("MotCua has no data for it yet")))

    _unknown.__doc__ = (
        "Not measured: MotCua holds no data for it (no connection to the national systems "
        "concerned, or no such rating)."
    )
    per_unit(_key, _label, OTHER)(_unknown)
