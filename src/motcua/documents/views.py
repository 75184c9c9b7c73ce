"""Pages of the documents module. Thin: read through selectors, write through services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.core import params
from motcua.core.files import serve_file
from motcua.core.form_errors import errors_into, fail
from motcua.core.models import AdministrativeUnit, User
from motcua.core.models.units import COMMUNE_KINDS
from motcua.core.permissions import can, permission, require, units_where
from motcua.core.services import audit
from motcua.core.uploads import check_upload

from . import selectors
from .forms import DirectionForm, IncomingForm, OutgoingForm, ProgressForm
from .models import Confidentiality, IncomingDocument, OutgoingDocument
from .services import incoming, outgoing

QUEUES = {
    "cho-chi-dao": selectors.to_direct,
    "cua-toi": selectors.assigned_to,
    "qua-han": selectors.overdue,
    "cham-trinh": selectors.late_to_present,
}


def _unit(request: HttpRequest, action: str) -> AdministrativeUnit:
    """The commune where the user may do ``action`` (the first, by name)."""
    units = units_where(request.user, action).filter(kind__in=COMMUNE_KINDS)
    unit = units.order_by("name", "pk").first()
    if unit is None:
        raise Http404(_("You hold no role in a commune-level unit."))
    return unit


def _incoming(request: HttpRequest, pk: int, action: str) -> IncomingDocument:
    document = get_object_or_404(selectors.incoming_for(request.user), pk=pk)  # type: ignore[arg-type]
    handlers = selectors.incoming_handlers(document)
    require(request.user, action, document.unit, assignee=handlers)
    return document


def _outgoing(request: HttpRequest, pk: int, action: str) -> OutgoingDocument:
    document = get_object_or_404(selectors.outgoing_for(request.user), pk=pk)  # type: ignore[arg-type]
    require(request.user, action, document.unit)
    return document


@permission("document.incoming_list")
def incoming_list(request: HttpRequest) -> HttpResponse:
    queue, query = request.GET.get("ds", ""), request.GET.get("q", "").strip()
    user = request.user
    if query:
        found = selectors.search_incoming(user, query)  # type: ignore[arg-type]
    elif queue in QUEUES:
        found = QUEUES[queue](user)  # type: ignore[arg-type, operator]
    else:
        found = selectors.incoming_for(user).order_by("-received_at")  # type: ignore[arg-type]
    return render(
        request,
        "documents/incoming_list.html",
        {"documents": found[:200], "queue": queue, "query": query},
    )


@permission("document.incoming_register")
def incoming_new(request: HttpRequest) -> HttpResponse:
    unit = _unit(request, "document.incoming_register")
    form = IncomingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        confirm = values.pop("confirm_duplicate")
        try:
            files = _uploaded(request)
            document = incoming.register(
                unit,
                incoming.IncomingData(**values),
                actor=request.user,  # type: ignore[arg-type]
                confirm_duplicate=confirm,
                files=files,
            )
        except incoming.PossibleDuplicate as error:
            form.add_error("confirm_duplicate", error.messages)
        except ValidationError as error:
            errors_into(form, error)
        except PermissionDenied as error:
            fail(request, error)
        else:
            messages.success(
                request, _("Registered as incoming no. %(n)s.") % {"n": document.number}
            )
            return redirect("documents-incoming", pk=document.pk)
    return render(request, "documents/incoming_new.html", {"form": form, "unit": unit})


def _uploaded(request: HttpRequest) -> list[tuple[str, bytes]]:
    """The scans or electronic files chosen with the document (PDF, JPEG or PNG)."""
    chosen = request.FILES.getlist("files")
    for upload in chosen:
        check_upload(upload)
    return [(upload.name or "tep", upload.read()) for upload in chosen]


def _staff(document) -> object:  # type: ignore[no-untyped-def]
    return (
        User.objects.filter(role_assignments__unit=document.unit, role_assignments__is_active=True)
        .distinct()
        .order_by("full_name")
    )


def _record_view(
    request: HttpRequest,
    document: IncomingDocument | OutgoingDocument,
    action: str,
    file: str = "",
) -> None:
    """Every view of a confidential document, or of one of its files, is in the audit log."""
    if document.confidentiality != Confidentiality.NORMAL:
        after = {"file": file} if file else None
        audit.record_standalone(
            actor=request.user, action=action, unit=document.unit, obj=document, after=after
        )


@permission("document.incoming_view")
def incoming_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = _incoming(request, pk, "document.incoming_view")
    _record_view(request, document, "incoming.view")
    return render(
        request,
        "documents/incoming_detail.html",
        {
            "document": document,
            "directions": document.directions.select_related("lead", "leader"),
            "log": document.log.select_related("actor", "reply"),
            "direction_form": DirectionForm(staff=_staff(document)),
            "progress_form": ProgressForm(),
            "files": document.files.all(),
            "may_return": selectors.may_return(document, request.user),  # type: ignore[arg-type]
        },
    )


@permission("document.incoming_direct")
@require_POST
def incoming_direct(request: HttpRequest, pk: int) -> HttpResponse:
    document = _incoming(request, pk, "document.incoming_direct")
    form = DirectionForm(request.POST, staff=_staff(document))
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose the lead handler."))
        incoming.direct(document, leader=request.user, **form.cleaned_data)  # type: ignore[arg-type]
    except (ValidationError, PermissionDenied) as error:
        fail(request, error)
    else:
        messages.success(request, _("Direction recorded; the handlers are told."))
    return redirect("documents-incoming", pk=pk)


@permission("document.incoming_progress")
@require_POST
def incoming_progress(request: HttpRequest, pk: int) -> HttpResponse:
    document = _incoming(request, pk, "document.incoming_progress")
    form = ProgressForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Write what was done."))
        incoming.record_progress(document, actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
    except (ValidationError, PermissionDenied) as error:
        fail(request, error)
    return redirect("documents-incoming", pk=pk)


@permission("document.incoming_file")
def incoming_file(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    document = _incoming(request, pk, "document.incoming_file")
    row = get_object_or_404(document.files, pk=file_pk)
    _record_view(request, document, "incoming.file_view", row.name)
    return serve_file(row.file, filename=row.name)


@permission("document.incoming_return")
@require_POST
def incoming_return(request: HttpRequest, pk: int) -> HttpResponse:
    document = _incoming(request, pk, "document.incoming_return")
    try:
        incoming.return_to_sender(
            document,
            actor=request.user,  # type: ignore[arg-type]
            reason=request.POST.get("reason", ""),
        )
    except (ValidationError, PermissionDenied) as error:
        fail(request, error)
    else:
        messages.success(request, _("Returned to the sender."))
    return redirect("documents-incoming", pk=pk)


@permission("document.incoming_acknowledge")
@require_POST
def incoming_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    document = _incoming(request, pk, "document.incoming_acknowledge")
    try:
        incoming.acknowledge(document, actor=request.user)  # type: ignore[arg-type]
    except PermissionDenied as error:
        fail(request, error)
    return redirect("documents-incoming", pk=pk)


@permission("document.outgoing_list")
def outgoing_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    user = request.user
    found = (
        selectors.search_outgoing(user, query)
        if query  # type: ignore[arg-type]
        else selectors.outgoing_for(user).order_by("-created_at")
    )  # type: ignore[arg-type]
    return render(
        request, "documents/outgoing_list.html", {"documents": found[:200], "query": query}
    )


@permission("document.outgoing_draft")
def outgoing_new(request: HttpRequest) -> HttpResponse:
    unit = _unit(request, "document.outgoing_draft")
    others = AdministrativeUnit.objects.filter(kind__in=COMMUNE_KINDS).exclude(pk=unit.pk)
    form = OutgoingForm(request.POST or None, request.FILES or None, units=others)
    reply_pk = params.record_id(request.GET, "tra-loi")
    reply_to = selectors.incoming_for(request.user).filter(pk=reply_pk).first()  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        try:
            document = outgoing.draft(
                unit, outgoing.Draft(**form.cleaned_data, reply_to=reply_to), actor=request.user
            )  # type: ignore[arg-type]
        except ValidationError as error:
            errors_into(form, error)
        except PermissionDenied as error:
            fail(request, error)
        else:
            return redirect("documents-outgoing", pk=document.pk)
    return render(request, "documents/outgoing_new.html", {"form": form, "reply_to": reply_to})


ACTIONS = {
    "trinh": lambda d, u: outgoing.submit(d, actor=u),
    "duyet-ky": lambda d, u: outgoing.approve(d, actor=u),
    "ban-hanh": lambda d, u: outgoing.issue(d, actor=u),
    "cong-khai": lambda d, u: outgoing.set_public(d, actor=u, public=True),
    "thoi-cong-khai": lambda d, u: outgoing.set_public(d, actor=u, public=False),
}

ACTION_ROWS = {
    "trinh": "document.outgoing_submit",
    "duyet-ky": "document.outgoing_approve",
    "ban-hanh": "document.outgoing_issue",
    "cong-khai": "document.outgoing_publish",
    "thoi-cong-khai": "document.outgoing_publish",
}


@permission("document.outgoing_view")
def outgoing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = _outgoing(request, pk, "document.outgoing_view")
    _record_view(request, document, "outgoing.view")
    return render(
        request,
        "documents/outgoing_detail.html",
        {
            "document": document,
            "deliveries": selectors.deliveries_of(document),
            "may_publish": not document.is_secret
            and can(request.user, "document.outgoing_publish", document.unit),
        },
    )


@permission(ACTION_ROWS)
@require_POST
def outgoing_action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    document = _outgoing(request, pk, ACTION_ROWS[name])
    try:
        ACTIONS[name](document, request.user)
    except (ValidationError, PermissionDenied) as error:
        fail(request, error)
    else:
        if name == "ban-hanh":
            messages.success(request, _("Issued as %(ref)s.") % {"ref": document.reference})
    return redirect("documents-outgoing", pk=pk)


@permission("document.outgoing_file")
def outgoing_file(request: HttpRequest, pk: int) -> FileResponse:
    document = _outgoing(request, pk, "document.outgoing_file")
    chosen = document.signed_file or document.file
    if not chosen:
        raise Http404
    _record_view(request, document, "outgoing.file_view", chosen.name)
    return serve_file(chosen, filename=f"{document.reference or 'du-thao'}.pdf".replace("/", "-"))


@permission("document.outgoing_file")
def outgoing_attachment(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """An attachment (văn bản kèm theo): signed by the organisation once issued."""
    document = _outgoing(request, pk, "document.outgoing_file")
    attachment = get_object_or_404(document.attachments, pk=attachment_pk)
    chosen = attachment.signed_file or attachment.file
    _record_view(request, document, "outgoing.file_view", attachment.name)
    return serve_file(chosen, filename=attachment.name)
