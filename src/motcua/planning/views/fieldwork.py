"""Work plans and the weekly schedule."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.core import params
from motcua.core.form_errors import errors_into, fail
from motcua.core.permissions import can, permission, require
from motcua.core.selectors import unit_staff

from .. import selectors
from ..forms import EngagementForm, PlanForm
from ..models import Engagement
from ..services import fieldwork, schedule
from .common import load, unit_of


@permission({"GET": "planning.plan_list", "POST": "planning.plan_file"})
def plans(request: HttpRequest) -> HttpResponse:
    unit, user = unit_of(request), request.user
    form = PlanForm(request.POST or None, staff=unit_staff(unit).exclude(pk=user.pk))
    if request.method == "POST" and form.is_valid():
        try:
            plan = fieldwork.file_plan(unit, fieldwork.PlanData(**form.cleaned_data), actor=user)  # type: ignore[arg-type]
        except ValidationError as error:
            errors_into(form, error)
        except PermissionDenied as error:
            fail(request, error)
        else:
            messages.success(request, _("The plan is sent to the leader."))
            return redirect("planning-plan", pk=plan.pk)
    return render(
        request,
        "planning/plans.html",
        {
            "form": form,
            "mine": selectors.plans_for(user).filter(officer=user)[:50],  # type: ignore[arg-type]
            "to_decide": selectors.to_decide(user),  # type: ignore[arg-type]
            "out_now": selectors.out_now(user),  # type: ignore[arg-type]
            "overdue": selectors.reports_overdue(user),  # type: ignore[arg-type]
        },
    )


@permission("planning.plan_view")
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    found = load(request, selectors.plans_for(request.user), pk, "planning.plan_view", "officer")  # type: ignore[arg-type]
    is_leader = can(request.user, "planning.plan_decide", found.unit)
    return render(
        request,
        "planning/plan.html",
        {"plan": found, "is_leader": is_leader, "now": timezone.now()},
    )


PLAN_ACTIONS = {
    "duyet": "planning.plan_decide",
    "tu-choi": "planning.plan_decide",
    "bao-cao": "planning.plan_report",
    "huy": "planning.plan_cancel",
}


@permission(PLAN_ACTIONS)
@require_POST
def plan_action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    found = load(request, selectors.plans_for(request.user), pk, PLAN_ACTIONS[name], "officer")  # type: ignore[arg-type]
    user, text = request.user, request.POST.get("text", "")
    try:
        if name == "duyet":
            fieldwork.decide(found, actor=user, approve=True, note=text)  # type: ignore[arg-type]
        elif name == "tu-choi":
            fieldwork.decide(found, actor=user, approve=False, note=text)  # type: ignore[arg-type]
        elif name == "bao-cao":
            fieldwork.report(found, actor=user, result=text)  # type: ignore[arg-type]
        elif name == "huy":
            fieldwork.cancel(found, actor=user, reason=text)  # type: ignore[arg-type]
    except (ValidationError, PermissionDenied) as error:
        fail(request, error)
    return redirect("planning-plan", pk=pk)


def _monday(request: HttpRequest) -> date:
    return selectors.monday_of(params.day(request.GET, "tuan") or timezone.localdate())


@permission({"GET": "planning.week", "POST": "planning.engagement_edit"})
def week(request: HttpRequest) -> HttpResponse:
    unit, monday = unit_of(request), _monday(request)
    form = EngagementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            schedule.add(unit, schedule.EngagementData(**form.cleaned_data), actor=request.user)  # type: ignore[arg-type]
        except ValidationError as error:
            errors_into(form, error)
        except PermissionDenied as error:
            fail(request, error)
        else:
            return redirect(f"{request.path}?tuan={monday:%Y-%m-%d}")
    if request.GET.get("dang") in ("pdf", "docx"):
        from .exports import week_file

        return week_file(selectors.week(unit, monday), request.GET["dang"])
    keeps = can(request.user, "planning.engagement_edit", unit)
    return render(
        request,
        "planning/week.html",
        {
            "week": selectors.week(unit, monday),
            "form": form,
            "keeps": keeps,
            "previous": monday - timezone.timedelta(days=7),
            "next": monday + timezone.timedelta(days=7),
        },
    )


@permission("planning.week_publish")
@require_POST
def publish(request: HttpRequest) -> HttpResponse:
    unit, monday = unit_of(request), _monday(request)
    try:
        schedule.publish(unit, monday, actor=request.user)  # type: ignore[arg-type]
    except (ValidationError, PermissionDenied) as error:
        fail(request, error)
    else:
        messages.success(request, _("The week is published on the website."))
    return redirect(f"{reverse('planning-week')}?tuan={monday:%Y-%m-%d}")


@permission("planning.engagement_edit")
def change_engagement(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Engagement, pk=pk, unit=unit_of(request), cancelled=False)
    require(request.user, "planning.engagement_edit", item.unit)
    initial = {name: getattr(item, name) for name in EngagementForm.base_fields}
    form = EngagementForm(request.POST or None, initial=initial)
    monday = selectors.monday_of(timezone.localtime(item.starts_at).date())
    if request.method == "POST" and form.is_valid():
        try:
            schedule.change(item, schedule.EngagementData(**form.cleaned_data), actor=request.user)  # type: ignore[arg-type]
        except ValidationError as error:
            errors_into(form, error)
        except PermissionDenied as error:
            fail(request, error)
        else:
            monday = selectors.monday_of(timezone.localtime(item.starts_at).date())
            return redirect(f"{reverse('planning-week')}?tuan={monday:%Y-%m-%d}")
    return render(
        request, "planning/engagement.html", {"form": form, "item": item, "monday": monday}
    )


@permission("planning.engagement_edit")
@require_POST
def cancel_engagement(request: HttpRequest, pk: int) -> HttpResponse:
    unit = unit_of(request)
    item = get_object_or_404(Engagement, pk=pk, unit=unit)
    require(request.user, "planning.engagement_edit", item.unit)
    try:
        schedule.cancel(item, actor=request.user)  # type: ignore[arg-type]
    except PermissionDenied as error:
        fail(request, error)
    monday = selectors.monday_of(timezone.localtime(item.starts_at).date())
    return redirect(f"{reverse('planning-week')}?tuan={monday:%Y-%m-%d}")
