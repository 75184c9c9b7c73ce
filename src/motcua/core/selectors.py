"""Reads of the core app. Lists a user sees are scoped here, in one place."""

from collections import OrderedDict
from collections.abc import Iterable
from datetime import date, timedelta
from threading import Lock

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet

from .calendar import WorkingCalendar
from .models import AdministrativeUnit, CalendarOverride, OverrideKind, Role, RoleAssignment, User
from .permissions import held_assignments


def active_assignments(user: User) -> QuerySet[RoleAssignment]:
    if not user.is_authenticated:
        return RoleAssignment.objects.none()
    return RoleAssignment.objects.filter(user=user, is_active=True, unit__is_active=True)


def holds(user: User, unit: AdministrativeUnit, *roles: str) -> bool:
    """The user works in the unit, in one of ``roles`` when any are named."""
    found = active_assignments(user).filter(unit=unit)
    return (found.filter(role__in=roles) if roles else found).exists()


def unit_staff(unit: AdministrativeUnit, roles: Iterable[str] | None = None) -> QuerySet[User]:
    """The unit's officers in one of ``roles`` (by default any role but system administrator,
    who is not one of the unit's staff), by name."""
    roles = [r for r in Role.values if r != Role.ADMINISTRATOR] if roles is None else roles
    return (
        User.objects.filter(
            role_assignments__unit=unit,
            role_assignments__is_active=True,
            role_assignments__role__in=roles,
        )
        .distinct()
        .order_by("full_name", "username")
    )


def has_role(user: User, unit: AdministrativeUnit, role: str, position: str = "") -> bool:
    """From the request's assignments (``permissions.held_assignments``): no query."""
    if not user.is_authenticated:
        return False
    return any(
        a.unit_id == unit.pk and a.role == role and (not position or a.position == position)
        for a in held_assignments(user)
    )


def roles_by_unit(user: User) -> list[tuple[AdministrativeUnit, list[RoleAssignment]]]:
    grouped: dict[int, tuple[AdministrativeUnit, list[RoleAssignment]]] = {}
    for assignment in active_assignments(user).select_related("unit", "unit__parent"):
        grouped.setdefault(assignment.unit_id, (assignment.unit, []))[1].append(assignment)
    return sorted(grouped.values(), key=lambda pair: pair[0].code)


# --- working-day calendar ---------------------------------------------------------------------
_CACHE_SIZE = 256
_calendars: "OrderedDict[tuple, WorkingCalendar]" = OrderedDict()
_calendars_lock = Lock()


def _overrides_version() -> tuple:
    # Changes, additions and deletions all move one of these; one cheap aggregate query.
    return tuple(
        CalendarOverride.objects.aggregate(
            n=Count("id"), last=Max("updated_at"), top=Max("id")
        ).values()
    )


def _expand(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def override_days(unit: AdministrativeUnit) -> tuple[set[date], set[date]]:
    """(days off, working days) for a unit: its own overrides beat its province's, which beat
    national ones."""
    scopes: list[int | None] = [None]
    if unit.parent_id:
        scopes.append(unit.parent_id)
    scopes.append(unit.pk)
    rows = CalendarOverride.objects.filter(Q(unit__isnull=True) | Q(unit_id__in=scopes[1:]))
    decided: dict[date, str] = {}
    for scope in scopes:
        for row in rows:
            if row.unit_id == scope:
                for day in _expand(row.start_date, row.end_date):
                    decided[day] = row.kind
    days_off = {d for d, kind in decided.items() if kind == OverrideKind.DAY_OFF}
    return days_off, set(decided) - days_off


def calendar_for(unit: AdministrativeUnit) -> WorkingCalendar:
    """The unit's working calendar, rebuilt only when its hours or any override change."""
    key = (unit.pk, unit.parent_id, unit.sessions, _overrides_version())
    with _calendars_lock:
        if key in _calendars:
            _calendars.move_to_end(key)
            return _calendars[key]
    days_off, working_days = override_days(unit)
    calendar = WorkingCalendar(
        unit.sessions,
        days_off=days_off,
        working_days=working_days,
        country=settings.MOTCUA_HOLIDAY_COUNTRY,
    )
    with _calendars_lock:
        _calendars[key] = calendar
        while len(_calendars) > _CACHE_SIZE:
            _calendars.popitem(last=False)
    return calendar


def failed_message_count(user: User) -> int:
    """Messages of the user's units that could not be delivered (shown on the desk)."""
    from .models import OutboxMessage, OutboxStatus
    from .permissions import units_where

    failed = OutboxMessage.objects.filter(status=OutboxStatus.FAILED)
    return failed.filter(unit__in=units_where(user, "outbox.list")).count()
