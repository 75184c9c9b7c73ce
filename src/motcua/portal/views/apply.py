"""Filling in and submitting an online application (by the citizen, or for them at the desk)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.core.permissions import permission
from motcua.dossiers.models import Channel
from motcua.procedures.selectors import published_procedures

from ..models import Draft
from ..services import drafts
from ..services.accounts import is_verified
from .catalogue import current_unit


@permission("portal.apply")
@require_POST
def start(request: HttpRequest, procedure_pk: int) -> HttpResponse:
    unit = current_unit(request)
    procedure = get_object_or_404(published_procedures(unit), pk=procedure_pk)
    try:
        draft = drafts.start(request.user, unit, procedure, assisted=False)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("portal-procedure", pk=procedure_pk)
    return redirect("portal-draft", pk=draft.pk)


def _own_draft(request: HttpRequest, pk: int) -> Draft:
    return get_object_or_404(
        Draft.objects.select_related("procedure", "unit"), pk=pk, owner=request.user
    )


@permission("portal.draft")
def draft(request: HttpRequest, pk: int) -> HttpResponse:
    item = _own_draft(request, pk)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            drafts.save(item, _values(request))  # first keep what was typed, whatever happens
        except Draft.DoesNotExist:
            gone = _("This draft is no longer there: it was submitted or deleted.")
            raise Http404(gone) from None
        upload_errors = _save_uploads(request, item)
        if request.headers.get("HX-Request") and "autosave" in request.POST:
            context = {"at": timezone.now(), "too_long": drafts.too_long(item)}
            return render(request, "portal/partials/saved.html", context)
        if "submit" in request.POST and not upload_errors:
            try:
                dossier = drafts.submit(item, actor=request.user)  # type: ignore[arg-type]
            except ValidationError as error:
                errors = (
                    error.message_dict
                    if hasattr(error, "error_dict")
                    else {"__all__": error.messages}
                )
            else:
                return _submitted(request, dossier)
        else:
            errors = {**drafts.too_long(item), **upload_errors}  # kept, but said at once
            if not errors:
                messages.success(request, _("Draft saved. You can come back to it at any time."))
                return redirect("portal-draft", pk=item.pk)
    return render(request, "portal/draft.html", _context(item, errors))


def _submitted(request: HttpRequest, dossier):  # type: ignore[no-untyped-def]
    if dossier.channel == Channel.ONLINE_ASSISTED:
        messages.success(request, _("Submitted online for the applicant; it is in the queue."))
        return redirect("desk-dossier", pk=dossier.pk)
    return render(
        request,
        "portal/submitted.html",
        {
            "dossier": dossier,
            "bring": dossier.procedure.papers.filter(originals__gt=0, optional=False),
        },
    )


def _values(request: HttpRequest) -> dict[str, object]:
    values: dict[str, object] = {k: request.POST.get(k, "") for k in drafts.FIELDS}
    values["declaration"] = request.POST.get("declaration") == "on"
    return values


def _save_uploads(request: HttpRequest, item: Draft) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for key in request.FILES:
        paper_id = key.removeprefix("paper-")
        for upload in request.FILES.getlist(key):
            try:
                drafts.add_file(item, int(paper_id) if paper_id.isdigit() else None, upload)
            except ValidationError as error:
                errors.setdefault("papers", []).extend(error.messages)
    return errors


def _context(item: Draft, errors: dict[str, list[str]]) -> dict[str, object]:
    files = list(item.files.all())
    papers = [
        (paper, [f for f in files if f.required_paper_id == paper.pk])
        for paper in item.procedure.papers.all()
    ]
    extra = [f for f in files if f.required_paper_id is None]
    return {
        "draft": item,
        "data": item.data,
        "papers": papers,
        "extra_files": extra,
        "errors": errors,
        "assisted": item.channel == Channel.ONLINE_ASSISTED,
        "verified": item.channel == Channel.ONLINE_ASSISTED or is_verified(item.owner),
    }


@permission("portal.draft")
@require_POST
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    """One paper's files, sent as soon as they are chosen (htmx); answers the papers list."""
    item = _own_draft(request, pk)
    errors = _save_uploads(request, item)
    return render(request, "portal/partials/papers.html", _context(item, errors))


@permission("portal.draft")
@require_POST
def remove(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    item = _own_draft(request, pk)
    drafts.remove_file(item, file_pk)
    if request.headers.get("HX-Request"):
        return render(request, "portal/partials/papers.html", _context(item, {}))
    return redirect("portal-draft", pk=item.pk)


@permission("portal.draft")
@require_POST
def discard(request: HttpRequest, pk: int) -> HttpResponse:
    drafts.discard(_own_draft(request, pk))
    messages.success(request, _("The draft was deleted."))
    return redirect("portal-mine")
