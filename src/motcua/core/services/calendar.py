"""Administrator overrides of the working-day calendar."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import AdministrativeUnit, CalendarOverride, User
from . import audit


def check_no_overlap(override: CalendarOverride) -> None:
    """Two overrides of the same scope may not share a day: which one would win is unclear."""
    clash = (
        CalendarOverride.objects.filter(
            unit_id=override.unit_id,
            start_date__lte=override.end_date,
            end_date__gte=override.start_date,
        )
        .exclude(pk=override.pk)
        .first()
    )
    if clash:
        raise ValidationError(
            _("These dates overlap an existing override: %(other)s."),
            code="overlap",
            params={"other": str(clash)},
        )


def validate_override(override: CalendarOverride) -> None:
    if override.start_date and override.end_date:
        if override.end_date < override.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})
        check_no_overlap(override)


@transaction.atomic
def create_override(
    *,
    actor: User,
    unit: AdministrativeUnit | None,
    kind: str,
    start_date: date,
    end_date: date,
    reason: str,
) -> CalendarOverride:
    override = CalendarOverride(
        unit=unit, kind=kind, start_date=start_date, end_date=end_date, reason=reason
    )
    audit.save_recorded(
        override, actor=actor, action="calendar_override.create", unit=unit, reason=reason
    )
    return override


@transaction.atomic
def delete_override(*, actor: User, override: CalendarOverride, reason: str) -> None:
    before = audit.snapshot(override)
    unit = override.unit
    audit.record(
        actor=actor,
        action="calendar_override.delete",
        unit=unit,
        obj=override,
        before=before,
        reason=reason,
    )
    override.delete()
