"""Reads of the planning module, scoped to the user: own plans, the leader's queue, who is out
now, the week's schedule, tasks, inspections, initiatives, activities."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from motcua.core.calendar import VN_TZ
from motcua.core.figures import addends, criteria_for
from motcua.core.models import AdministrativeUnit, User
from motcua.core.permissions import units_where

from .models import (
    Engagement,
    Finding,
    Initiative,
    Inspection,
    PlanStatus,
    PropagandaActivity,
    RemediationTask,
    SchedulePublication,
    TaskStatus,
    WorkPlan,
)


def _led(user: User) -> QuerySet:
    """The units whose field-work plans the user decides (the leaders' row)."""
    return units_where(user, "planning.plan_decide").values("pk")


def plans_for(user: User) -> QuerySet[WorkPlan]:
    """Officers see their own plans; leaders those of their units."""
    return (
        WorkPlan.objects.filter(Q(officer=user) | Q(unit_id__in=_led(user)))
        .select_related("officer", "unit", "decided_by")
        .distinct()
    )


def to_decide(user: User) -> QuerySet[WorkPlan]:
    return plans_for(user).filter(unit_id__in=_led(user), status=PlanStatus.SUBMITTED)


def out_now(user: User, now: datetime | None = None) -> QuerySet[WorkPlan]:
    """Approved trips going on now, in the user's units: who is out of the office."""
    now = now or timezone.now()
    return (
        WorkPlan.objects.filter(
            unit__in=units_where(user, "planning.plan_list"),
            status__in=[PlanStatus.APPROVED, PlanStatus.REPORTED],
            starts_at__lte=now,
            ends_at__gt=now,
        )
        .select_related("officer")
        .order_by("ends_at")
    )


def reports_overdue(user: User, now: datetime | None = None) -> QuerySet[WorkPlan]:
    now = now or timezone.now()
    return plans_for(user).filter(status=PlanStatus.APPROVED, report_due_at__lt=now)


@dataclass(frozen=True)
class Entry:
    item: Engagement
    changed: bool  # added or changed after the week was first published


@dataclass(frozen=True)
class Week:
    unit: AdministrativeUnit
    monday: date
    publication: SchedulePublication | None
    days: list[tuple[date, list[Entry]]]

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def unannounced(self) -> bool:
        """Changed since the office last published (or announced the changes of) the week."""
        last = self.publication.published_at if self.publication else None
        return last is not None and any(
            e.item.changed_at > last for _, entries in self.days for e in entries
        )


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week(unit: AdministrativeUnit, monday: date) -> Week:
    start = datetime.combine(monday, datetime.min.time(), tzinfo=VN_TZ)
    items = Engagement.objects.filter(
        unit=unit, starts_at__gte=start, starts_at__lt=start + timedelta(days=7)
    ).order_by("starts_at", "pk")
    publication = SchedulePublication.objects.filter(unit=unit, week=monday).first()
    first = publication.first_published_at if publication else None
    days: list[tuple[date, list[Entry]]] = [(monday + timedelta(days=n), []) for n in range(7)]
    for item in items:
        changed = first is not None and item.changed_at > first
        days[item.starts_at.astimezone(VN_TZ).date().weekday()][1].append(Entry(item, changed))
    return Week(unit, monday, publication, days)


def published_week(unit: AdministrativeUnit, monday: date) -> Week | None:
    """The week as the public may see it: only once published."""
    found = week(unit, monday)
    return found if found.publication is not None else None


def tasks_for(user: User) -> QuerySet[RemediationTask]:
    """Own tasks; for leaders and the office clerk, all of their units'."""
    managed = units_where(user, "planning.task_assign").values("pk")
    return (
        RemediationTask.objects.filter(Q(owner=user) | Q(unit_id__in=managed))
        .select_related("owner", "unit", "finding__inspection", "directive")
        .distinct()
    )


def overdue_tasks(user: User, now: datetime | None = None) -> QuerySet[RemediationTask]:
    now = now or timezone.now()
    return tasks_for(user).filter(status=TaskStatus.OPEN, deadline__lt=now)


def inspections_for(user: User) -> QuerySet[Inspection]:
    return Inspection.objects.filter(
        unit__in=units_where(user, "planning.inspection_list")
    ).prefetch_related("team")


def initiatives_for(user: User) -> QuerySet[Initiative]:
    return Initiative.objects.filter(
        unit__in=units_where(user, "planning.initiative_list")
    ).prefetch_related("authors")


def activities_for(user: User) -> QuerySet[PropagandaActivity]:
    return PropagandaActivity.objects.filter(unit__in=units_where(user, "planning.activity_list"))


def _no_criteria() -> QuerySet:
    return Finding.criterion.field.related_model._default_manager.none()


def finding_criteria(unit: AdministrativeUnit) -> QuerySet:
    """The reform criteria a finding of the unit can touch (this year's self-assessment of
    its province, provided by motcua.reports); none when no criteria are provided."""
    found = criteria_for(unit)
    return _no_criteria() if found is None else found


def counted_articles(unit: AdministrativeUnit, first: date, last: date) -> list:
    """What other apps count into the propaganda figure for [first, last] without it being
    recorded here (the website's reform articles: title, date, page)."""
    return addends("propaganda", unit, first, last)
