"""Initiatives, propaganda activities and the desk's conduct."""

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.core.form_errors import errors_into, fail
from motcua.core.models import Role
from motcua.core.permissions import can, permission, require
from motcua.core.selectors import unit_staff

from .. import selectors
from ..forms import ActivityForm, ComplaintForm, DeskCheckForm, InitiativeForm
from ..models import Complaint, DeskInspection
from ..services import recognition
from .common import load, unit_of


@permission({"GET": "planning.initiative_list", "POST": "planning.initiative_submit"})
def initiatives(request: HttpRequest) -> HttpResponse:
    unit = unit_of(request)
    form = InitiativeForm(request.POST or None, staff=unit_staff(unit))
    if request.method == "POST" and form.is_valid():
        try:
            found = recognition.submit_initiative(unit, actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            errors_into(form, error)
        except PermissionDenied as error:
            fail(request, error)
        else:
            return redirect("planning-initiative", pk=found.pk)
    return render(
        request,
        "planning/initiatives.html",
        {"initiatives": selectors.initiatives_for(request.user), "form": form},
    )  # type: ignore[arg-type]


@permission("planning.initiative_view")
def initiative(request: HttpRequest, pk: int) -> HttpResponse:
    found = load(request, selectors.initiatives_for(request.user), pk, "planning.initiative_view")  # type: ignore[arg-type]
    user = request.user
    return render(
        request,
        "planning/initiative.html",
        {
            "initiative": found,
            "member": found.council.filter(pk=user.pk).exists(),
            "leads": can(user, "planning.initiative_decide", found.unit),
            "author": found.authors.filter(pk=user.pk).exists(),
        },
    )


INITIATIVE_ACTIONS = {
    "y-kien": ("planning.initiative_opinion", "council"),
    "ket-luan": ("planning.initiative_decide", None),
    "ap-dung": ("planning.initiative_apply", "authors"),
}


@permission({name: row for name, (row, _people) in INITIATIVE_ACTIONS.items()})
@require_POST
def initiative_action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    row, people = INITIATIVE_ACTIONS[name]
    found = load(request, selectors.initiatives_for(request.user), pk, row, people)  # type: ignore[arg-type]
    post, user = request.POST, request.user
    try:
        if name == "y-kien":
            recognition.give_opinion(
                found,
                actor=user,
                in_favour=post.get("tan-thanh") == "1",  # type: ignore[arg-type]
                comment=post.get("text", ""),
            )
        elif name == "ket-luan":
            recognition.decide_initiative(
                found,
                actor=user,  # type: ignore[arg-type]
                recognise=post.get("cong-nhan") == "1",
                conclusion=post.get("text", ""),
            )
        elif name == "ap-dung":
            applied = date.fromisoformat(post.get("applied_from", ""))
            recognition.record_application(
                found,
                actor=user,
                applied_from=applied,  # type: ignore[arg-type]
                measured_effect=post.get("text", ""),
            )
    except ValueError:
        messages.error(request, _("Give the date it is applied from."))
    except (ValidationError, PermissionDenied) as error:
        fail(request, error)
    return redirect("planning-initiative", pk=pk)


@permission({"GET": "planning.activity_list", "POST": "planning.activity_record"})
def activities(request: HttpRequest) -> HttpResponse:
    unit = unit_of(request)
    form = ActivityForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            recognition.record_activity(unit, actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            errors_into(form, error)
        except PermissionDenied as error:
            fail(request, error)
        else:
            messages.success(request, _("The activity is recorded."))
            return redirect("planning-activities")
    today = timezone.localdate()
    return render(
        request,
        "planning/activities.html",
        {
            "activities": selectors.activities_for(request.user)[:100],  # type: ignore[arg-type]
            "articles": selectors.counted_articles(unit, today - timedelta(days=365), today),
            "form": form,
        },
    )


@permission({"GET": "planning.conduct", "POST": "planning.desk_check_record"})
def conduct(request: HttpRequest) -> HttpResponse:
    unit = unit_of(request)
    staff = unit_staff(unit)
    desk = staff.filter(role_assignments__role=Role.DESK_OFFICER, role_assignments__unit=unit)
    check_form = DeskCheckForm(request.POST if "kiem-tra" in request.POST else None, staff=desk)
    complaint_form = ComplaintForm(
        request.POST if "khieu-nai" in request.POST else None, staff=staff
    )
    if "khieu-nai" in request.POST:
        require(request.user, "planning.complaint_record", unit)
    elif request.method == "POST":
        require(request.user, "planning.desk_check_record", unit)
    try:
        if "kiem-tra" in request.POST and check_form.is_valid():
            values = dict(check_form.cleaned_data)
            recognition.record_desk_check(
                unit,
                actor=request.user,
                officer=values["officer"],  # type: ignore[arg-type]
                inspected_on=values["inspected_on"],
                met=set(values["met"]),
                note=values["note"],
            )
            return redirect("planning-conduct")
        if "khieu-nai" in request.POST and complaint_form.is_valid():
            recognition.record_complaint(unit, actor=request.user, **complaint_form.cleaned_data)  # type: ignore[arg-type]
            return redirect("planning-conduct")
    except ValidationError as error:
        errors_into(check_form if "kiem-tra" in request.POST else complaint_form, error)
    except PermissionDenied as error:
        fail(request, error)
    return render(
        request,
        "planning/conduct.html",
        {
            "checks": DeskInspection.objects.filter(unit=unit).select_related("officer")[:50],
            "complaints": Complaint.objects.filter(unit=unit).select_related("officer")[:50],
            "check_form": check_form,
            "complaint_form": complaint_form,
            "leads": can(request.user, "planning.complaint_settle", unit),
        },
    )


@permission("planning.complaint_settle")
@require_POST
def settle(request: HttpRequest, pk: int) -> HttpResponse:
    unit = unit_of(request)
    complaint = get_object_or_404(Complaint, pk=pk, unit=unit)
    require(request.user, "planning.complaint_settle", complaint.unit)
    try:
        recognition.settle_complaint(
            complaint,
            actor=request.user,  # type: ignore[arg-type]
            substantiated=request.POST.get("co-co-so") == "1",
            resolution=request.POST.get("text", ""),
        )
    except (ValidationError, PermissionDenied) as error:
        fail(request, error)
    return redirect("planning-conduct")
