"""Inspections, findings, remediation tasks and leaders' directives."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.core.files import serve_file
from motcua.core.form_errors import errors_into, fail
from motcua.core.permissions import can, permission, require
from motcua.core.selectors import unit_staff

from .. import selectors
from ..forms import CompleteForm, FindingForm, InspectionForm, TaskForm
from ..models import Finding, TaskEvidence
from ..services import remediation
from .common import load, unit_of


@permission({"GET": "planning.inspection_list", "POST": "planning.inspection_plan"})
def inspections(request: HttpRequest) -> HttpResponse:
    unit = unit_of(request)
    form = InspectionForm(request.POST or None, staff=unit_staff(unit))
    if request.method == "POST" and form.is_valid():
        try:
            found = remediation.plan_inspection(unit, actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            errors_into(form, error)
        except PermissionDenied as error:
            fail(request, error)
        else:
            return redirect("planning-inspection", pk=found.pk)
    organises = can(request.user, "planning.inspection_plan", unit)
    return render(
        request,
        "planning/inspections.html",
        {
            "inspections": selectors.inspections_for(request.user),
            "form": form,  # type: ignore[arg-type]
            "organises": organises,
        },
    )


@permission({"GET": "planning.inspection_view", "POST": "planning.finding_record"})
def inspection(request: HttpRequest, pk: int) -> HttpResponse:
    row = "planning.finding_record" if request.method == "POST" else "planning.inspection_view"
    found = load(request, selectors.inspections_for(request.user), pk, row, "team")  # type: ignore[arg-type]
    finding_form = FindingForm(criteria=selectors.finding_criteria(found.unit))
    if request.method == "POST":
        finding_form = FindingForm(
            request.POST, request.FILES, criteria=selectors.finding_criteria(found.unit)
        )
        if finding_form.is_valid():
            try:
                remediation.record_finding(found, actor=request.user, **finding_form.cleaned_data)  # type: ignore[arg-type]
            except ValidationError as error:
                errors_into(finding_form, error)
            except PermissionDenied as error:
                fail(request, error)
            else:
                return redirect("planning-inspection", pk=pk)
    if request.GET.get("dang") == "pdf":
        from .pdf import inspection_report

        return inspection_report(found)
    organises = can(request.user, "planning.inspection_plan", found.unit)
    return render(
        request,
        "planning/inspection.html",
        {
            "inspection": found,
            "findings": found.findings.select_related("criterion").prefetch_related("tasks__owner"),
            "finding_form": finding_form,
            "task_form": TaskForm(staff=unit_staff(found.unit)),
            "organises": organises,
            "records": organises or found.team.filter(pk=request.user.pk).exists(),
            "leads": can(request.user, "planning.inspection_close", found.unit),
        },
    )


@permission("planning.task_assign")
@require_POST
def assign(request: HttpRequest, finding_pk: int) -> HttpResponse:
    finding = get_object_or_404(
        Finding.objects.filter(inspection__in=selectors.inspections_for(request.user)),  # type: ignore[arg-type]
        pk=finding_pk,
    )
    unit = finding.inspection.unit
    require(request.user, "planning.task_assign", unit)
    form = TaskForm(request.POST, staff=unit_staff(unit))
    if form.is_valid():
        try:
            remediation.assign_task(
                unit,
                remediation.TaskData(**form.cleaned_data),
                actor=request.user,
                finding=finding,  # type: ignore[arg-type]
            )
        except (ValidationError, PermissionDenied) as error:
            fail(request, error)
        else:
            messages.success(request, _("The task is given to its owner."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("planning-inspection", pk=finding.inspection_id)


@permission("planning.inspection_close")
@require_POST
def close_inspection(request: HttpRequest, pk: int) -> HttpResponse:
    found = load(request, selectors.inspections_for(request.user), pk, "planning.inspection_close")  # type: ignore[arg-type]
    try:
        remediation.close_inspection(found, actor=request.user)  # type: ignore[arg-type]
    except PermissionDenied as error:
        fail(request, error)
    return redirect("planning-inspection", pk=pk)


@permission("planning.task_list")
def tasks(request: HttpRequest) -> HttpResponse:
    found = selectors.tasks_for(request.user)  # type: ignore[arg-type]
    return render(
        request,
        "planning/tasks.html",
        {
            "mine": found.filter(owner=request.user, status="open"),
            "overdue": selectors.overdue_tasks(request.user),  # type: ignore[arg-type]
            "all": found.order_by("-created_at")[:100],
            "now": timezone.now(),
        },
    )


@permission({"GET": "planning.task_view", "POST": "planning.task_complete"})
def task(request: HttpRequest, pk: int) -> HttpResponse:
    row = "planning.task_complete" if request.method == "POST" else "planning.task_view"
    found = load(request, selectors.tasks_for(request.user), pk, row, "owner")  # type: ignore[arg-type]
    form = CompleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            remediation.complete(
                found,
                actor=request.user,  # type: ignore[arg-type]
                note=form.cleaned_data["note"],
                evidence=request.FILES.getlist("evidence"),
            )
        except ValidationError as error:
            errors_into(form, error)
        except PermissionDenied as error:
            fail(request, error)
        else:
            messages.success(request, _("The task is closed."))
            return redirect("planning-task", pk=pk)
    return render(
        request, "planning/task.html", {"task": found, "form": form, "now": timezone.now()}
    )


@permission("planning.task_view")
def evidence_file(request: HttpRequest, pk: int, evidence_pk: int) -> FileResponse:
    """A completed task's evidence, for those who see the task."""
    found = load(request, selectors.tasks_for(request.user), pk, "planning.task_view", "owner")  # type: ignore[arg-type]
    row = get_object_or_404(TaskEvidence, pk=evidence_pk, task=found)
    return serve_file(row.file, filename=row.name, inline=True)


@permission("planning.finding_file")
def finding_file(request: HttpRequest, pk: int) -> FileResponse:
    """The evidence recorded with a finding (minutes, photo), for the unit's staff."""
    finding = get_object_or_404(
        Finding.objects.filter(inspection__in=selectors.inspections_for(request.user)),  # type: ignore[arg-type]
        pk=pk,
    )
    require(request.user, "planning.finding_file", finding.inspection.unit)
    if not finding.evidence:
        raise Http404
    return serve_file(finding.evidence, inline=True)


TASK_ROWS = 5


@permission("planning.directive")
def directive(request: HttpRequest) -> HttpResponse:
    """A leader records a directive and the tasks it gives (up to five rows at a time)."""
    from datetime import date as day_type

    from ..forms import TaskForm as RowForm

    unit = unit_of(request)
    staff = unit_staff(unit)
    rows = [RowForm(request.POST or None, prefix=f"t{n}", staff=staff) for n in range(TASK_ROWS)]
    values = {k: request.POST.get(k, "") for k in ("title", "reference", "issued_on", "text")}
    if request.method == "POST":
        filled = [r for r in rows if r.data.get(f"{r.prefix}-title", "").strip()]
        if all(r.is_valid() for r in filled):
            try:
                issued = day_type.fromisoformat(values["issued_on"])
                if not 1900 <= issued.year <= 2100:  # as core.params.supported_date
                    raise ValueError(values["issued_on"])
                remediation.record_directive(
                    unit,
                    actor=request.user,  # type: ignore[arg-type]
                    title=values["title"],
                    reference=values["reference"],
                    text=values["text"],
                    issued_on=issued,
                    tasks=[remediation.TaskData(**r.cleaned_data) for r in filled],
                )
            except ValueError:
                messages.error(request, _("Give the directive's date."))
            except (ValidationError, PermissionDenied) as error:
                fail(request, error)
            else:
                messages.success(request, _("The directive and its tasks are recorded."))
                return redirect("planning-tasks")
    return render(request, "planning/directive.html", {"rows": rows, "values": values})
