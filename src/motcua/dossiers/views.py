"""The desk (Bộ phận Một cửa) pages. Thin: read through selectors, write through services."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.core import params
from motcua.core.calendar import VN_TZ
from motcua.core.files import serve_file
from motcua.core.models import AdministrativeUnit, User
from motcua.core.permissions import first_unit_where, permission, require
from motcua.core.selectors import failed_message_count
from motcua.procedures.models import Procedure
from motcua.procedures.selectors import parts_of, published_procedures, search_procedures

from . import documents
from .forms import ActionForm, ReceiveForm
from .models import Dossier
from .selectors import (
    QUEUES,
    candidates,
    dossiers_for,
    next_step,
    queue,
    queue_counts,
    returning_applicant,
)
from .services import intake
from .services.actions import CALLS, perform
from .workflow import TRANSITIONS, TransitionRefused, allowed_actions, check_role

# What each action asks for on the dossier page (the services check the values).
ACTION_FIELDS: dict[str, list[str]] = {
    "receive": [],
    "receive_supplement": [],
    "transfer": ["next_user"],
    "hand_over": ["next_user", "note"],
    "approve": ["next_user", "note"],
    "assign": ["current_user"],
    "record_work": ["kind", "note", "to_unit"],
    "request_supplement": ["items", "reason", "contact"],
    "request_supplement_in_appraisal": ["items", "reason", "contact"],
    "refuse": ["reason"],
    "refuse_after_appraisal": ["reason"],
    "attach_result": ["file", "paper", "note"],
    "issue_apology": ["reason", "new_due_at"],
    "allow_late_return": ["reason"],
    "return_result": ["method"],
    "withdraw": ["reason"],
}


def desk_unit_or_404(request: HttpRequest, action: str = "dossier.receive") -> AdministrativeUnit:
    """The commune-level unit where the officer may do ``action`` (the first, by name)."""
    unit = first_unit_where(request.user, action)
    if unit is None:
        raise Http404(_("You are not a desk officer of any unit."))
    return unit


def _dossier(request: HttpRequest, pk: int, action: str) -> Dossier:
    dossier = get_object_or_404(dossiers_for(request.user), pk=pk)  # type: ignore[arg-type]
    require(request.user, action, dossier.unit)
    return dossier


@permission("dossier.desk")
def desk(request: HttpRequest) -> HttpResponse:
    name = request.GET.get("q", "mine")
    if name not in QUEUES:
        name = "mine"
    counts = queue_counts(request.user)  # type: ignore[arg-type]
    context = {
        "queue": name,
        "dossiers": queue(request.user, name),  # type: ignore[arg-type]
        "counts": counts,
        "shown_of": counts[name],
        "failed_messages": failed_message_count(request.user),  # type: ignore[arg-type]
        "now": timezone.now(),
    }  # type: ignore[arg-type]
    return render(request, "dossiers/desk.html", context)


@permission("dossier.receive")
def procedure_search(request: HttpRequest) -> HttpResponse:
    found = search_procedures(desk_unit_or_404(request), request.GET.get("q", ""))
    return render(request, "dossiers/partials/procedure_results.html", {"procedures": found})


@permission("dossier.receive")
def applicant_lookup(request: HttpRequest) -> HttpResponse:
    unit = desk_unit_or_404(request)
    personal_id = request.GET.get("applicant_personal_id", "")
    previous = returning_applicant(request.user, personal_id, unit)  # type: ignore[arg-type]
    if previous is None:
        return HttpResponse(status=204)  # nothing to fill: keep what the officer typed
    return render(request, "dossiers/partials/applicant.html", {"previous": previous})


@permission("dossier.receive")
def receive_dossier(request: HttpRequest) -> HttpResponse:
    unit = desk_unit_or_404(request)
    procedures = published_procedures(unit, parts=False)
    procedure_id = params.record_id(request.POST, "procedure") or params.record_id(
        request.GET, "procedure"
    )
    procedure = procedures.filter(pk=procedure_id).first() if procedure_id else None
    form = ReceiveForm(
        request.POST or None, request.FILES or None, procedures=procedures, procedure=procedure
    )
    if request.method == "POST" and form.is_valid():
        try:
            dossier = _start_and_receive(request, unit, form)
        except (ValidationError, TransitionRefused) as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Dossier %(code)s received.") % {"code": dossier.code})
            return redirect("desk-dossier", pk=dossier.pk)
    if request.headers.get("HX-Request") and request.method == "GET":
        return render(
            request, "dossiers/partials/papers.html", {"form": form, "procedure": procedure}
        )
    return render(request, "dossiers/receive.html", {"form": form, "procedure": procedure})


def _start_and_receive(request: HttpRequest, unit: Any, form: ReceiveForm) -> Dossier:
    data = form.cleaned_data
    procedure: Procedure = data["procedure"]
    papers = [
        intake.PaperIn(
            name=p.name,
            originals=data[f"paper_{p.pk}_originals"],
            copies=data[f"paper_{p.pk}_copies"],
            scan=data.get(f"paper_{p.pk}_scan"),
            required_paper=p,
        )
        for p in parts_of(procedure).papers
        if data.get(f"paper_{p.pk}_received")
    ]
    applicant = intake.Applicant(
        kind=data["applicant_kind"],
        name=data["applicant_name"],
        personal_id=data["applicant_personal_id"],
        address=data["applicant_address"],
        phone=data["applicant_phone"],
        email=data["applicant_email"],
    )
    return intake.receive_new(
        actor=request.user,  # type: ignore[arg-type]
        unit=unit,
        procedure=procedure,
        channel=data["channel"],
        applicant=applicant,
        papers=papers,
        sets=data["sets"],
    )


@permission("dossier.view")
def dossier_page(request: HttpRequest, pk: int, form: ActionForm | None = None,
                 failed: str = "") -> HttpResponse:  # fmt: skip
    dossier = _dossier(request, pk, "dossier.view")
    following = next_step(dossier)
    context = {
        "dossier": dossier,
        "steps": dossier.steps.select_related("assignee", "finished_by"),
        "events": dossier.events.select_related("actor", "to_user", "step"),
        "actions": [
            (name, TRANSITIONS[name].label, ACTION_FIELDS[name])
            for name in allowed_actions(dossier, request.user)
        ],  # type: ignore[arg-type]
        "next_candidates": candidates(dossier, following) if following else [],
        "current_candidates": candidates(dossier, dossier.current_step)
        if dossier.current_step
        else [],
        "form": form or ActionForm(),
        "failed": failed,
        "forms": documents.available_forms(dossier),
        "now": timezone.now(),
        "is_copy_certification": (
            dossier.procedure.code in settings.MOTCUA_COPY_CERTIFICATION_PROCEDURES
        ),
    }
    return render(request, "dossiers/dossier.html", context, status=400 if failed else 200)


def _values(form: ActionForm) -> dict[str, Any]:
    v = dict(form.cleaned_data)
    v["to_user"] = User.objects.filter(pk=v["to_user"]).first() if v.get("to_user") else None
    v["items"] = form.item_list()
    if v.get("new_due_at") and not v["new_due_at"].tzinfo:
        v["new_due_at"] = v["new_due_at"].replace(tzinfo=VN_TZ)
    return v


@permission({name: f"dossier.{name}" for name in CALLS})
@require_POST
def dossier_action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    dossier = get_object_or_404(dossiers_for(request.user), pk=pk)  # type: ignore[arg-type]
    try:
        check_role(name, dossier, request.user)  # type: ignore[arg-type]
    except TransitionRefused as refused:  # the table refuses: 403, saying why
        raise PermissionDenied(str(refused)) from refused
    form = ActionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            perform(name, dossier, request.user, _values(form))  # type: ignore[arg-type]
        except (ValidationError, TransitionRefused) as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Done."))
            return redirect("desk-dossier", pk=dossier.pk)
    return dossier_page(request, pk, form=form, failed=name)


@permission("dossier.form")
def dossier_form(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    dossier = _dossier(request, pk, "dossier.form")
    if kind not in dict(documents.available_forms(dossier)):
        raise Http404
    response = HttpResponse(documents.form_pdf(dossier, kind), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{kind}-{dossier.code or dossier.pk}.pdf"'
    return response


@permission("dossier.ledger")
def ledger(request: HttpRequest) -> HttpResponse:
    unit = desk_unit_or_404(request, "dossier.ledger")
    start, end = params.month_range(request.GET, "thang")
    response = HttpResponse(documents.ledger_pdf(unit, start, end), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="so-theo-doi-{start:%Y-%m}.pdf"'
    return response


@permission("dossier.paper_scan")
def paper_scan(request: HttpRequest, pk: int, paper_pk: int) -> FileResponse:
    """A paper's scan, only to the desk and handlers of its unit (never a public URL)."""
    dossier = _dossier(request, pk, "dossier.paper_scan")
    paper = get_object_or_404(dossier.papers.exclude(scan=""), pk=paper_pk)
    return serve_file(paper.scan, inline=True)
