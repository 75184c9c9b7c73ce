"""Figures of work discipline and reform management, registered for the reports and the reform
self-assessment (motcua.core.figures)."""

from datetime import datetime, timedelta

from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from motcua.core.calendar import VN_TZ
from motcua.core.figures import (
    Rows,
    Scope,
    Share,
    Value,
    addends,
    count,
    per_officer,
    per_unit,
    share,
)
from motcua.core.models import AdministrativeUnit
from motcua.core.summaries import watch

from .models import (
    CONDUCT_ITEMS,
    Complaint,
    DeskInspection,
    Initiative,
    InitiativeStatus,
    Inspection,
    PropagandaActivity,
    RemediationTask,
    TaskStatus,
    WorkPlan,
)

MANAGEMENT = "management"  # the reports' section


def _days(scope: Scope) -> tuple:  # type: ignore[type-arg]
    """The period's days [first, last) in Vietnam, for rows dated by day."""
    return scope.start.astimezone(VN_TZ).date(), scope.end.astimezone(VN_TZ).date()


def _plans_due(scope: Scope) -> Rows:
    window = Q(report_due_at__gte=scope.start, report_due_at__lt=scope.end)
    return Rows(WorkPlan, window, window)


@share("field_reports_on_time", _("Field trips reported on time"), MANAGEMENT, of=_plans_due,
       drills=False)  # fmt: skip
def field_reports_on_time(scope: Scope) -> Rows:
    """Approved work plans whose report was due in the period and was made by then
    ÷ approved work plans whose report was due in the period."""
    return _plans_due(scope).where(reported_at__isnull=False, reported_at__lte=F("report_due_at"))


def _tasks_due(scope: Scope) -> Rows:
    window = Q(deadline__gte=scope.start, deadline__lt=scope.end)
    return Rows(RemediationTask, window, window).exclude(status=TaskStatus.CANCELLED)


@share("remediation_on_time", _("Remediation tasks done on time"), MANAGEMENT, of=_tasks_due,
       drills=False)  # fmt: skip
def remediation_on_time(scope: Scope) -> Rows:
    """Remediation tasks (after inspections or directives) due in the period and done by their
    deadline ÷ remediation tasks due in the period, cancelled ones left out."""
    return _tasks_due(scope).where(status=TaskStatus.DONE, completed_at__lte=F("deadline"))


@count("inspections_held", _("Reform inspections held"), MANAGEMENT, drills=False)
def inspections_held(scope: Scope) -> Rows:
    """Inspections of administrative reform that started in the period."""
    first, last = _days(scope)
    window = Q(starts_on__gte=first, starts_on__lt=last)
    return Rows(Inspection, window, window)


@count("initiatives_recognised", _("Initiatives recognised"), MANAGEMENT, drills=False)
def initiatives_recognised(scope: Scope) -> Rows:
    """Reform initiatives recognised by the council in the period."""
    window = Q(decided_at__gte=scope.start, decided_at__lt=scope.end)
    return Rows(Initiative, window, window & Q(status=InitiativeStatus.RECOGNISED))


@per_unit("propaganda", _("Propaganda activities on reform"), MANAGEMENT)
def propaganda(unit: AdministrativeUnit, start: datetime, end: datetime) -> Value:
    """Propaganda activities held in the period, plus the articles of the website's reform
    section dated in the period (counted without being recorded)."""
    first, last = start.astimezone(VN_TZ).date(), end.astimezone(VN_TZ).date()
    recorded = PropagandaActivity.objects.filter(unit=unit, held_on__gte=first, held_on__lt=last)
    return recorded.count() + len(addends("propaganda", unit, first, last - timedelta(days=1)))


@per_unit("desk_conduct", _("Desk conduct (“4 xin, 4 luôn”) items met"), MANAGEMENT)
def desk_conduct(unit: AdministrativeUnit, start: datetime, end: datetime) -> Value:
    """Items of the "4 xin, 4 luôn" standard met in the desk checks of the period ÷ the items
    checked (8 per check)."""

    first, last = start.astimezone(VN_TZ).date(), end.astimezone(VN_TZ).date()
    checks = list(
        DeskInspection.objects.filter(unit=unit, inspected_on__gte=first, inspected_on__lt=last)
    )
    return Share(sum(c.met for c in checks), len(CONDUCT_ITEMS) * len(checks))


@count("complaints_substantiated", _("Substantiated complaints about officers"), MANAGEMENT,
       drills=False)  # fmt: skip
def complaints_substantiated(scope: Scope) -> Rows:
    """Complaints about officers received in the period that a leader found substantiated."""
    first, last = _days(scope)
    window = Q(received_on__gte=first, received_on__lt=last)
    return Rows(Complaint, window, window & Q(substantiated=True))


@per_officer("complaints_substantiated")
def substantiated_complaints_by_officer(
    unit: AdministrativeUnit, first: object, last: object
) -> dict[int, int]:
    """Officer id → complaints about them received in [first, last] (days) and found
    substantiated: the evaluation of officers sets their attitude indicator from it."""
    founded = Complaint.objects.filter(
        unit=unit, substantiated=True, received_on__gte=first, received_on__lte=last
    )
    counts: dict[int, int] = {}
    for officer_id in founded.values_list("officer_id", flat=True):
        counts[officer_id] = counts.get(officer_id, 0) + 1
    return counts


# --- what the summaries watch (motcua.core.summaries) ------------------------------------------
watch(WorkPlan, since=("report_due_at", "created_at"))
watch(RemediationTask, since=("deadline",))
watch(Inspection, since=("starts_on",))
watch(Initiative, since=("decided_at", "submitted_at"))
watch(PropagandaActivity, since=("held_on",))
watch(DeskInspection, since=("inspected_on",))
watch(Complaint, since=("received_on",))
