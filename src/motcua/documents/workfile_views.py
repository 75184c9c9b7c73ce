"""Pages of the work files (hồ sơ công việc, Nghị định 30/2020 Điều 28–29): the unit's file plan
for a year, one work file with what it holds, filing, closing, and the PDF. Thin: read through
the work-file selectors, write through the work-file services."""

import io
from typing import cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from motcua.core.form_errors import errors_into, fail
from motcua.core.models import User
from motcua.core.permissions import permission, require

from . import selectors as document_selectors
from .models import IncomingDocument, OutgoingDocument
from .views import _unit
from .workfiles import selectors, services
from .workfiles.export import work_file_pdf
from .workfiles.forms import (
    RETENTION_SUGGESTIONS,
    CloseForm,
    FileIntoForm,
    FileItemForm,
    OpenFileForm,
)
from .workfiles.models import WorkFile

# URL slug of a document kind → the filing service's keyword and the document's page.
DOCUMENT_KINDS = {
    "den": ("incoming", "documents-incoming"),
    "di": ("outgoing", "documents-outgoing"),
}


def _year(request: HttpRequest) -> int:
    """?nam=2026; the current year in Vietnam time when absent or nonsense."""
    try:
        year = int(request.GET.get("nam", ""))
    except ValueError:
        year = 0
    return year if 2000 <= year <= 2999 else timezone.localdate().year


@permission({"GET": "workfile.view", "POST": "workfile.open"})
def plan(request: HttpRequest) -> HttpResponse:
    """The unit's danh mục hồ sơ for the year and the form to open a work file in it."""
    unit, year, user = _unit(request, "workfile.view"), _year(request), request.user
    found = selectors.plan_of(unit, year)
    form = OpenFileForm(
        request.POST or None, keepers=selectors.keepers(unit), initial={"keeper": user.pk}
    )
    if request.method == "POST" and form.is_valid():
        try:
            # The plan starts with its first file; only the clerk or a leader sets it up.
            file_plan = found or services.plan_for(unit, year, actor=user)  # type: ignore[arg-type]
            work_file = services.open_file(file_plan, actor=user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            errors_into(form, error)
        except PermissionDenied as error:
            fail(request, error)
        else:
            messages.success(request, _("Work file %(code)s opened.") % {"code": work_file.code})
            return redirect("documents-workfile", pk=work_file.pk)
        found = found or selectors.plan_of(unit, year)
    return render(
        request,
        "documents/workfile_plan.html",
        {
            "unit": unit,
            "year": year,
            "plan": found,
            "files": selectors.files_in(found),
            "form": form,
            "retention_suggestions": RETENTION_SUGGESTIONS,
        },
    )


REFUSALS = {
    "workfile.file_item": gettext_lazy(
        "Only the keeper, the office clerk or a leader files into this work file."
    ),
    "workfile.close": gettext_lazy("Only the keeper of the file or a leader closes it."),
}


def _work_file(request: HttpRequest, pk: int, action: str) -> WorkFile:
    work_file = get_object_or_404(selectors.work_files_for(request.user), pk=pk)  # type: ignore[arg-type]
    unit, keeper = work_file.plan.unit, work_file.keeper_id
    message = str(REFUSALS.get(action, ""))
    require(request.user, action, unit, assignee=keeper, message=message)
    return work_file


def _file_item_form(
    request: HttpRequest, work_file: WorkFile, data: QueryDict | None = None
) -> FileItemForm:
    user, unit = cast(User, request.user), work_file.plan.unit
    return FileItemForm(
        data,
        incoming=selectors.unfiled_incoming(user, unit),
        outgoing=selectors.unfiled_outgoing(user, unit),
        find_dossier=lambda code: selectors.dossier_by_code(user, code),
    )


def _detail(
    request: HttpRequest,
    work_file: WorkFile,
    *,
    file_form: FileItemForm | None = None,
    close_form: CloseForm | None = None,
) -> HttpResponse:
    rows = selectors.items_of(work_file, request.user)  # type: ignore[arg-type]
    return render(
        request,
        "documents/workfile_detail.html",
        {
            "work_file": work_file,
            "rows": rows,
            "sees_everything": all(row.visible for row in rows),
            "file_form": _file_item_form(request, work_file) if file_form is None else file_form,
            "close_form": CloseForm() if close_form is None else close_form,
        },
    )


@permission("workfile.view")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _work_file(request, pk, "workfile.view"))


@permission("workfile.file_item")
@require_POST
def file_item(request: HttpRequest, pk: int) -> HttpResponse:
    """File one incoming or outgoing document or one dossier; on refusal the page comes back
    with the choice kept and the reason shown."""
    work_file = _work_file(request, pk, "workfile.file_item")
    form = _file_item_form(request, work_file, request.POST)
    if form.is_valid():
        try:
            services.file_item(work_file, actor=request.user, **form.item())  # type: ignore[arg-type]
        except ValidationError as error:
            errors_into(form, error)
        except PermissionDenied as error:
            fail(request, error)
        else:
            messages.success(request, _("Filed in work file %(code)s.") % {"code": work_file.code})
            return redirect("documents-workfile", pk=pk)
    return _detail(request, work_file, file_form=form)


@permission("workfile.close")
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    work_file = _work_file(request, pk, "workfile.close")
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.close(work_file, actor=request.user, note=form.cleaned_data["note"])  # type: ignore[arg-type]
        except ValidationError as error:
            errors_into(form, error)
        except PermissionDenied as error:
            fail(request, error)
        else:
            messages.success(request, _("Work file %(code)s closed.") % {"code": work_file.code})
            return redirect("documents-workfile", pk=pk)
    return _detail(request, work_file, close_form=form)


@permission("workfile.pdf")
def pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The cover and list of the file; only for someone who may see all it holds."""
    work_file = _work_file(request, pk, "workfile.pdf")
    if not selectors.sees_every_item(work_file, request.user):  # type: ignore[arg-type]
        messages.error(
            request,
            _(
                "This work file holds confidential documents you may not see; "
                "ask its keeper for the PDF."
            ),
        )
        return redirect("documents-workfile", pk=pk)
    name = f"ho-so-{work_file.code}-{work_file.plan.year}.pdf".replace("/", "-")
    response = FileResponse(
        io.BytesIO(work_file_pdf(work_file)), content_type="application/pdf", filename=name
    )
    response["Cache-Control"] = "private, no-store"  # confidential content stays off caches
    return response


@permission("workfile.file_document")
@require_POST
def file_document(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """The "file it" form of an incoming or outgoing document's page."""
    if kind not in DOCUMENT_KINDS:
        raise Http404
    field, page = DOCUMENT_KINDS[kind]
    user = cast(User, request.user)
    document: IncomingDocument | OutgoingDocument
    if field == "incoming":
        document = get_object_or_404(document_selectors.incoming_for(user), pk=pk)
    else:
        document = get_object_or_404(document_selectors.outgoing_for(user), pk=pk)
    # Any file of the unit is accepted here, so that the service says why a closed or someone
    # else's file refuses it.
    files = selectors.work_files_for(user).filter(plan__unit=document.unit)
    form = FileIntoForm(request.POST, files=files)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose an open work file."))
        work_file = form.cleaned_data["work_file"]
        require(user, "workfile.file_item", work_file.plan.unit, assignee=work_file.keeper_id)
        services.file_item(work_file, actor=user, **{field: document})  # type: ignore[arg-type]
    except (ValidationError, PermissionDenied) as error:
        fail(request, error)
    else:
        messages.success(request, _("Filed in work file %(code)s.") % {"code": work_file.code})
    return redirect(page, pk=pk)
