"""Due dates and early / on time / late, all through the unit's working calendar."""

from datetime import datetime
from decimal import Decimal
from fractions import Fraction

from django.conf import settings

from motcua.core.calendar import VN_TZ, WorkingCalendar
from motcua.core.selectors import calendar_for

from .models import Dossier, DossierStep, Timeliness


def calendar_of(dossier: Dossier) -> WorkingCalendar:
    """The unit's calendar, looked up once per dossier instance (one transition's lifetime)."""
    cached = getattr(dossier, "_calendar", None)
    if cached is None:
        cached = dossier._calendar = calendar_for(dossier.unit)  # type: ignore[attr-defined]
    return cached


def dossier_due(dossier: Dossier, clock_start: datetime) -> datetime:
    return calendar_of(dossier).due_at(clock_start, dossier.procedure.processing_days, None)


def transfer_due(dossier: Dossier) -> datetime:
    """Paper dossiers go to the handler the same working day; after the cut-off, early the
    next working day (by the end of its first session)."""
    calendar = calendar_of(dossier)
    assert dossier.received_at and dossier.clock_start
    if calendar.next_working_moment(dossier.received_at).date() == dossier.clock_start.date():
        return calendar.end_of_working_day(dossier.clock_start)
    first_session_end = dossier.unit.sessions[0][1]
    return datetime.combine(dossier.clock_start.astimezone(VN_TZ).date(), first_session_end, VN_TZ)


def plan_step_dues(dossier: Dossier, steps: list[DossierStep], clock_start: datetime) -> None:
    """Each step is due when the template budgets up to and including it are spent."""
    calendar = calendar_of(dossier)
    spent = Decimal(0)
    for step in steps:
        spent += step.budget_days
        step.due_at = calendar.due_at(clock_start, spent, None)


def judge(finished_at: datetime, due_at: datetime) -> str:
    """Early: done on a working day before the due day; on time: by the due time that day."""
    if finished_at > due_at:
        return Timeliness.LATE
    if finished_at.astimezone(VN_TZ).date() < due_at.astimezone(VN_TZ).date():
        return Timeliness.EARLY
    return Timeliness.ON_TIME


def is_due_soon(dossier: Dossier, now: datetime) -> bool:
    if dossier.due_at is None or now > dossier.due_at:
        return False
    left = calendar_of(dossier).working_days_between(now, dossier.due_at)
    return left <= settings.MOTCUA_DUE_SOON_DAYS


def due_soon_before(calendar: WorkingCalendar, now: datetime) -> datetime:
    """The earliest due time that is not "due soon" at ``now`` (is_due_soon in one bound):
    moment(p + 1 µs) is the first moment past position p, and anything earlier has ≤ p."""
    limit = calendar.position(now) + int(Fraction(settings.MOTCUA_DUE_SOON_DAYS) * calendar.day_us)
    return calendar.moment(limit + 1)


def apology_deadline(dossier: Dossier, due_at: datetime) -> datetime:
    """The apology is owed at the latest this many working days before the due date."""
    return calendar_of(dossier).add_working_days(due_at, -settings.MOTCUA_APOLOGY_LEAD_DAYS)


def supplement_deadline(dossier: Dossier) -> datetime:
    assert dossier.clock_start
    days = settings.MOTCUA_SUPPLEMENT_WINDOW_DAYS
    return calendar_of(dossier).add_working_days(dossier.clock_start, days)


def shift(dossier: Dossier, moment: datetime, old_due: datetime, new_due: datetime) -> datetime:
    """Move ``moment`` by the working time between the old and the new due date."""
    calendar = calendar_of(dossier)
    delta = calendar.position(new_due) - calendar.position(old_due)
    return calendar.moment(calendar.position(moment) + delta) if delta else moment
