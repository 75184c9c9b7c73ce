"""Administrator overrides of the working-day calendar."""

from datetime import date

from django.db import transaction

from ..models import AdministrativeUnit, CalendarOverride, User
from . import audit


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
