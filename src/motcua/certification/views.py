"""Desk pages of the certification (check, refuse, certify, register) and the public check."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from motcua.core import params
from motcua.core.calendar import VN_TZ
from motcua.core.files import serve_file
from motcua.core.permissions import permission, require, units_where
from motcua.dossiers.selectors import dossiers_for
from motcua.dossiers.views import desk_unit_or_404

from . import documents, selectors
from .forms import AnnotationForm, OriginalForm, RefuseForm, VerifyForm
from .models import Certification, RegisterEntry
from .services import certify as service
from .services import register


def _certification(request: HttpRequest, pk: int, action: str) -> Certification:
    dossier = get_object_or_404(dossiers_for(request.user), pk=pk)  # type: ignore[arg-type]
    require(request.user, action, dossier.unit)
    try:
        return service.certification_for(dossier, create=request.method == "POST")
    except ValidationError as error:
        raise Http404 from error


def _errors(request: HttpRequest, error: Exception) -> None:
    messages.error(request, " ".join(getattr(error, "messages", None) or [str(error)]))


@permission({"GET": "certification.view", "POST": "certification.record"})
def page(request: HttpRequest, pk: int) -> HttpResponse:
    action = "certification.record" if request.method == "POST" else "certification.view"
    item = _certification(request, pk, action)
    original = OriginalForm(
        request.POST or None,
        initial={
            "title": item.original_title,
            "issuer": item.original_issuer,
            "reference": item.original_reference,
            "issued_on": item.original_date,
            "pages": item.original_pages or None,
            "copies": item.copies,
        },
    )
    if request.method == "POST" and original.is_valid():
        try:
            service.record_original(
                item,
                actor=request.user,  # type: ignore[arg-type]
                original=service.Original(**original.cleaned_data),
            )
        except ValidationError as error:
            for field, items in error.message_dict.items():
                original.add_error(field if field in original.fields else None, items)
        except PermissionDenied as error:
            _errors(request, error)
        else:
            messages.success(
                request,
                _("The original was checked; the fee is %(fee)s đ.")
                % {"fee": f"{item.fee:,}".replace(",", ".")},
            )
            return redirect("certification-page", pk=pk)
    return render(
        request,
        "certification/page.html",
        {
            "item": item,
            "dossier": item.dossier,
            "original_form": original,
            "refuse_form": RefuseForm(),
            "copies": item.signed_copies.all() if item.pk else [],
            "entry": getattr(item, "register_entry", None) if item.pk else None,
            "verify_url": service_verify_url(item),
        },
    )


def service_verify_url(item: Certification) -> str:
    if item.pk is None or not hasattr(item, "register_entry") or not item.verify_code:
        return ""
    from .services.signing import verify_url

    return verify_url(item)


@permission("certification.refuse")
@require_POST
def refuse(request: HttpRequest, pk: int) -> HttpResponse:
    item = _certification(request, pk, "certification.refuse")
    form = RefuseForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose the legal reason for the refusal."))
        service.refuse(item, actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
    except (ValidationError, PermissionDenied) as error:
        _errors(request, error)
    else:
        messages.success(request, _("Refused; the refusal (Mẫu 03) carries the reason."))
    return redirect("certification-page", pk=pk)


@permission("certification.certify")
@require_POST
def certify(request: HttpRequest, pk: int) -> HttpResponse:
    item = _certification(request, pk, "certification.certify")
    try:
        service.certify(item, actor=request.user)  # type: ignore[arg-type]
    except (ValidationError, PermissionDenied) as error:
        _errors(request, error)
    else:
        messages.success(request, _("Certified. The copies are being signed."))
    return redirect("certification-page", pk=pk)


@permission("certification.retry")
@require_POST
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    item = _certification(request, pk, "certification.retry")
    try:
        service.retry_signing(item, actor=request.user)  # type: ignore[arg-type]
    except PermissionDenied as error:
        _errors(request, error)
    return redirect("certification-page", pk=pk)


@permission("certification.view")
def status(request: HttpRequest, pk: int) -> HttpResponse:
    """Polled by the page while the copies are being signed."""
    item = _certification(request, pk, "certification.view")
    return render(
        request,
        "certification/partials/status.html",
        {
            "item": item,
            "copies": item.signed_copies.all() if item.pk else [],
            "dossier": item.dossier,
        },
    )


@permission("certification.view")
def copy_file(request: HttpRequest, pk: int, index: int) -> FileResponse:
    item = _certification(request, pk, "certification.view")
    if item.pk is None:
        raise Http404
    copy = get_object_or_404(item.signed_copies, index=index)
    return serve_file(copy.pdf)


@permission("certification.register")
def register_page(request: HttpRequest) -> HttpResponse:
    unit = desk_unit_or_404(request, "certification.register")
    start, end = params.month_range(request.GET, "thang")
    entries = list(selectors.register_entries(unit, start, end))
    kind = request.GET.get("dang")
    if kind == "pdf":
        response = HttpResponse(
            documents.register_pdf(unit, entries, start, end), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'inline; filename="so-SCT-BS-{start:%Y-%m}.pdf"'
        return response
    if kind == "xlsx":
        data = documents.register_xlsx(unit, entries, f"{start:%m/%Y}")
        response = HttpResponse(
            data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="so-SCT-BS-{start:%Y-%m}.xlsx"'
        return response
    return render(
        request,
        "certification/register.html",
        {
            "unit": unit,
            "entries": entries,
            "start": start,
            "month": f"{start:%Y-%m}",
            "annotation_form": AnnotationForm(),
        },
    )


@permission("certification.annotate")
@require_POST
def annotate(request: HttpRequest, entry_pk: int) -> HttpResponse:
    entry = get_object_or_404(
        RegisterEntry, pk=entry_pk, unit__in=units_where(request.user, "certification.annotate")
    )  # type: ignore[arg-type]
    require(request.user, "certification.annotate", entry.unit)
    try:
        register.annotate(entry, actor=request.user, text=request.POST.get("text", ""))  # type: ignore[arg-type]
    except ValidationError as error:
        _errors(request, error)
    return redirect(f"/mot-cua/chung-thuc/so/?thang={entry.entered_at.astimezone(VN_TZ):%Y-%m}")


MAX_MB = 50  # a certified copy of a few hundred scanned pages
MAX_CHECKED_FILE = MAX_MB * 1024 * 1024


def verify_rate(group: str, request: HttpRequest) -> str:
    return settings.MOTCUA_VERIFY_RATE


# Every look-up counts, GET (a link or QR code with the number and code) as well as POST.
@permission("certification.verify")
@ratelimit(key="ip", rate=verify_rate, method=ratelimit.ALL, block=True)
def verify(request: HttpRequest) -> HttpResponse:
    """Public: anyone holding a copy checks it, without signing in."""
    form = VerifyForm(request.POST or None, request.FILES or None, initial=request.GET.dict())
    data = request.POST if request.method == "POST" else request.GET
    context: dict[str, object] = {"form": form, "asked": "so" in data}
    item = selectors.find_for_verification(data.get("so", ""), data.get("ma", ""))
    context["item"] = item
    if item is not None:
        context["entry"] = item.register_entry
        upload = request.FILES.get("file")
        if upload is not None and upload.size and upload.size > MAX_CHECKED_FILE:
            form.add_error("file", _("The file is larger than %(mb)d MB.") % {"mb": MAX_MB})
        elif upload is not None:
            context["uploaded"] = True
            context["check"] = selectors.check_copy(item, upload.read())
        else:
            context["check"] = selectors.stored_copy_check(item)
    return render(request, "certification/verify.html", context)
