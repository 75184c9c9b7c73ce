"""Figures of work discipline and reform management, registered for the reports and the reform
self-assessment (motcua.core.figures)."""

from datetime import datetime, timedelta

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from motcua.core.calendar import VN_TZ
from motcua.core.figures import Share, Value, addends, per_officer, per_unit
from motcua.core.models import AdministrativeUnit

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


@per_unit("field_reports_on_time", _("Field trips reported on time"), MANAGEMENT)
def field_reports_on_time(unit: AdministrativeUnit, start: datetime, end: datetime) -> Value:
    """Approved work plans whose report was due in the period and was made by then
    ÷ approved work plans whose report was due in the period."""
    due = WorkPlan.objects.filter(unit=unit, report_due_at__gte=start, report_due_at__lt=end)
    made = due.filter(reported_at__isnull=False, reported_at__lte=F("report_due_at"))
    return Share(made.count(), due.count())


@per_unit("remediation_on_time", _("Remediation tasks done on time"), MANAGEMENT)
def remediation_on_time(unit: AdministrativeUnit, start: datetime, end: datetime) -> Value:
    """Remediation tasks (after inspections or directives) due in the period and done by their
    deadline ÷ remediation tasks due in the period, cancelled ones left out."""
    due = RemediationTask.objects.filter(unit=unit, deadline__gte=start, deadline__lt=end).exclude(
        status=TaskStatus.CANCELLED
    )
    done = due.filter(status=TaskStatus.DONE, completed_at__lte=F("deadline"))
    return Share(done.count(), due.count())


@per_unit("inspections_held", _("Reform inspections held"), MANAGEMENT)
def inspections_held(unit: AdministrativeUnit, start: datetime, end: datetime) -> Value:
    """Inspections of administrative reform that started in the period."""
    first, last = start.astimezone(VN_TZ).date(), end.astimezone(VN_TZ).date()
    return Inspection.objects.filter(unit=unit, starts_on__gte=first, starts_on__lt=last).count()


@per_unit("initiatives_recognised", _("Initiatives recognised"), MANAGEMENT)
def initiatives_recognised(unit: AdministrativeUnit, start: datetime, end: datetime) -> Value:
    """Reform initiatives recognised by the council in the period."""
    return Initiative.objects.filter(
        unit=unit, status=InitiativeStatus.RECOGNISED, decided_at__gte=start, decided_at__lt=end
    ).count()


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


@per_unit("complaints_substantiated", _("Substantiated complaints about officers"), MANAGEMENT)
def complaints_substantiated(unit: AdministrativeUnit, start: datetime, end: datetime) -> Value:
    """Complaints about officers received in the period that a leader found substantiated."""
    first, last = start.astimezone(VN_TZ).date(), end.astimezone(VN_TZ).date()
    return Complaint.objects.filter(
        unit=unit, received_on__gte=first, received_on__lt=last, substantiated=True
    ).count()


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
