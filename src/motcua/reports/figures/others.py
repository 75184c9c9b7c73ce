"""Figures whose source is another module (documents, the website) or that MotCua cannot know.
Each is computed by that module's own function, so the formula lives in one place."""

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from motcua.core.models import AdministrativeUnit
from motcua.documents import figures as documents
from motcua.documents.figures import Share
from motcua.site import figures as website

from .dossiers import CERTIFICATION, DOCUMENTS, ONLINE, SATISFACTION
from .registry import NotMeasured, Value, per_unit, section

OTHER = section("other", _("Not yet measured by MotCua"))


def _documents(function):  # type: ignore[no-untyped-def]
    def compute(unit: AdministrativeUnit, start: datetime, end: datetime) -> Value:
        return function(unit, start, end)

    compute.__doc__ = function.__doc__
    return compute


for _key, _label, _source in (
    ("docs_in_electronic", _("Incoming documents received electronically"),
     documents.incoming_exchanged_electronically),
    ("docs_out_electronic", _("Outgoing documents sent electronically"),
     documents.outgoing_exchanged_electronically),
    ("docs_processed", _("Incoming documents directed and handled in the system"),
     documents.incoming_processed_in_system),
    ("docs_signed", _("Outgoing documents signed digitally"),
     documents.outgoing_signed_digitally),
    ("staff_active", _("Staff active in the system"), documents.staff_active),
    ("staff_email", _("Staff using the official mailbox"), documents.staff_using_official_email),
):  # fmt: skip
    per_unit(_key, _label, DOCUMENTS)(_documents(_source))


@per_unit("feedback_on_time", _("Feedback answered on time"), SATISFACTION)
def feedback_on_time(unit: AdministrativeUnit, start: datetime, end: datetime) -> Value:
    """Feedback from the website whose answer was due in the period and was answered by its
    due time ÷ all feedback whose answer was due in the period (motcua.site.figures)."""
    return website.feedback_answered_on_time(unit, start, end)


@per_unit("website_visitors", _("Website visitors"), DOCUMENTS)
def website_visitors(unit: AdministrativeUnit, start: datetime, end: datetime) -> Value:
    """Visitors of the unit's website, each counted once a day, on the days of the period;
    not measured when the unit has no website."""
    found = website.visitors(unit, start, end)
    return NotMeasured(str(_("the unit has no website"))) if found is None else found


@per_unit("paper_certified", _("Certified copies on paper"), CERTIFICATION)
def paper_certified(unit: AdministrativeUnit, start: datetime, end: datetime) -> Value:
    """Copies certified on paper: MotCua certifies electronically only and keeps no paper
    register, so this is not measured here."""
    return NotMeasured(str(_("paper certifications are not recorded in MotCua")))


def _with_fee(unit: AdministrativeUnit):  # type: ignore[no-untyped-def]
    from motcua.procedures.selectors import published_procedures

    return published_procedures(unit).filter(fees__amount__gt=0).distinct()


@per_unit("procedures_payable_online", _("Procedures with a fee that can be paid online"),
          ONLINE)  # fmt: skip
def procedures_payable_online(unit: AdministrativeUnit, start: datetime, end: datetime) -> Value:
    """Published procedures of the unit's catalogue with a fee that can be applied for online
    (full or partly online: the fee is then paid through the gateway) ÷ published procedures
    with a fee."""
    with_fee = _with_fee(unit)
    return Share(with_fee.exclude(online_level="none").count(), with_fee.count())


@per_unit("procedures_paid_online", _("Procedures with an online payment made"), ONLINE)
def procedures_paid_online(unit: AdministrativeUnit, start: datetime, end: datetime) -> Value:
    """Published procedures with a fee for which at least one of the unit's dossiers was paid
    online in the period ÷ published procedures with a fee."""
    with_fee = _with_fee(unit)
    paid = with_fee.filter(
        dossiers__unit=unit,
        dossiers__payments__status="paid",
        dossiers__payments__paid_at__gte=start,
        dossiers__payments__paid_at__lt=end,
    ).distinct()
    return Share(paid.count(), with_fee.count())


@per_unit("procedures_online", _("Procedures offered online"), ONLINE)
def procedures_online(unit: AdministrativeUnit, start: datetime, end: datetime) -> Value:
    """Published procedures of the unit's catalogue that can be applied for online (full or
    partly online) ÷ published procedures."""
    from motcua.procedures.selectors import published_procedures

    published = published_procedures(unit)
    return Share(published.exclude(online_level="none").count(), published.count())


@per_unit("e_copies_offered", _("Electronic certified copies offered"), CERTIFICATION)
def e_copies_offered(unit: AdministrativeUnit, start: datetime, end: datetime) -> Value:
    """Copy-certification procedures published for the unit that it can certify
    electronically (it has an active organisation signing key) ÷ copy-certification
    procedures published."""
    from django.conf import settings

    from motcua.certification.models import KeyKind, SigningKey
    from motcua.procedures.selectors import published_procedures

    copies = published_procedures(unit).filter(
        code__in=settings.MOTCUA_COPY_CERTIFICATION_PROCEDURES
    )
    signs = SigningKey.objects.filter(unit=unit, kind=KeyKind.ORGANISATION, is_active=True).exists()
    return Share(copies.count() if signs else 0, copies.count())


for _key, _label in (
    ("published_on_time", _("Procedures published on time")),
    ("updated_on_time", _("Procedures updated on time")),
    ("synced_national_portal", _("Dossier progress synchronised to the national portal")),
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
