"""Figures of copy certification that are not counts of dossiers (those are in
motcua.dossiers.figures): paper copies, and whether the unit can certify electronically."""

from datetime import datetime

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from motcua.core.figures import NotMeasured, Share, Value, per_unit
from motcua.core.models import AdministrativeUnit
from motcua.core.summaries import watch
from motcua.procedures.selectors import published_procedures

from .models import KeyKind, SigningKey

CERTIFICATION = "certification"


@per_unit("paper_certified", _("Certified copies on paper"), CERTIFICATION)
def paper_certified(unit: AdministrativeUnit, start: datetime, end: datetime) -> Value:
    """Copies certified on paper: MotCua certifies electronically only and keeps no paper
    register, so this is not measured here."""
    return NotMeasured(str(_("paper certifications are not recorded in MotCua")))


@per_unit("e_copies_offered", _("Electronic certified copies offered"), CERTIFICATION)
def e_copies_offered(unit: AdministrativeUnit, start: datetime, end: datetime) -> Value:
    """Copy-certification procedures published for the unit that it can certify
    electronically (it has an active organisation signing key) ÷ copy-certification
    procedures published."""
    copies = published_procedures(unit).filter(
        code__in=settings.MOTCUA_COPY_CERTIFICATION_PROCEDURES
    )
    signs = SigningKey.objects.filter(unit=unit, kind=KeyKind.ORGANISATION, is_active=True).exists()
    return Share(copies.count() if signs else 0, copies.count())


# --- what the summaries watch (motcua.core.summaries) ------------------------------------------
watch(SigningKey)  # whether the unit can certify electronically
