"""A signed-in citizen's dossiers: timeline, requests, forms, result, payment, rating."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.core.files import serve_file
from motcua.core.permissions import permission
from motcua.dossiers import documents
from motcua.dossiers.models import EventKind, Status
from motcua.dossiers.services import online
from motcua.dossiers.services.actions import perform

from .. import selectors
from ..forms import DeliveryForm, RatingForm
from ..models import RatingSource
from ..services import payments, ratings
from ..signatures import signature_summary
from . import client_ip

PUBLIC_EVENTS = {
    EventKind.RECEIVED,
    EventKind.TRANSFERRED,
    EventKind.SUPPLEMENT_REQUESTED,
    EventKind.SUPPLEMENT_RECEIVED,
    EventKind.REFUSED,
    EventKind.APPROVED,
    EventKind.APOLOGY_ISSUED,
    EventKind.RESULT_ATTACHED,
    EventKind.RETURNED,
    EventKind.WITHDRAWN,
}
CITIZEN = "portal-sign-in"


@permission("portal.mine")
def mine(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/mine.html",
        {
            "dossiers": selectors.citizen_dossiers(request.user),  # type: ignore[arg-type]
            "drafts": selectors.citizen_drafts(request.user),  # type: ignore[arg-type]
        },
    )


@permission("portal.dossier")
def dossier(request: HttpRequest, pk: int, rating_form: RatingForm | None = None) -> HttpResponse:
    item = selectors.citizen_dossier(request.user, pk)  # type: ignore[arg-type]
    open_request = item.supplements.filter(fulfilled_at__isnull=True).last()
    return render(
        request,
        "portal/dossier.html",
        {
            "dossier": item,
            "events": item.events.filter(kind__in=PUBLIC_EVENTS).order_by("at", "id"),
            "supplements": item.supplements.order_by("requested_at"),
            "open_request": open_request
            if item.status in {Status.SUPPLEMENT_REQUESTED, Status.AWAITING_SUPPLEMENT}
            else None,
            "forms": documents.available_forms(item, for_applicant=True),
            "result_signature": signature_summary(item.result_file) if item.result_file else None,
            "result_available": bool(item.result_file)
            and item.status in {Status.RESULT_READY, Status.RETURNED},
            "amount_due": payments.amount_due(item) if item.status in payments.PAYABLE else 0,
            "payments": item.payments.order_by("-created_at"),
            "delivery_form": DeliveryForm(
                initial={"method": item.delivery_method, "address": item.delivery_address}
            ),
            "can_choose_delivery": selectors.is_open(item) and item.status != Status.RETURNED,
            "rating_form": rating_form or RatingForm(),
            "can_rate": ratings.can_rate(item),
            "rating": getattr(item, "rating", None),
            "messages_sent": selectors.messages_about(item),
        },
    )


@permission("portal.dossier")
def form_pdf(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    item = selectors.citizen_dossier(request.user, pk)  # type: ignore[arg-type]
    if kind not in dict(documents.available_forms(item, for_applicant=True)):
        raise Http404
    response = HttpResponse(documents.form_pdf(item, kind), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{kind}-{item.code or item.pk}.pdf"'
    return response


@permission("portal.dossier")
def result(request: HttpRequest, pk: int) -> FileResponse:
    item = selectors.citizen_dossier(request.user, pk)  # type: ignore[arg-type]
    if not item.result_file or item.status not in {Status.RESULT_READY, Status.RETURNED}:
        raise Http404
    name = f"ket-qua-{item.code}.{item.result_file.name.rsplit('.', 1)[-1]}"
    return serve_file(item.result_file, filename=name)


@permission("portal.dossier_act")
@require_POST
def supplement(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.citizen_dossier(request.user, pk)  # type: ignore[arg-type]
    try:
        papers = [online_paper(upload) for upload in request.FILES.getlist("files")]
        perform(
            "answer_supplement",
            item,
            request.user,  # type: ignore[arg-type]
            {"papers": papers, "note": request.POST.get("note", "")},
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("Your supplement was sent to the one-stop desk."))
    return redirect("portal-dossier", pk=item.pk)


def online_paper(upload):  # type: ignore[no-untyped-def]
    from motcua.core.uploads import check_upload, sha256_of

    check_upload(upload)
    return online.OnlinePaper(
        name=_("Supplement: %(file)s") % {"file": upload.name},
        file=upload,
        sha256=sha256_of(upload),
    )


@permission("portal.dossier_act")
@require_POST
def delivery(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.citizen_dossier(request.user, pk)  # type: ignore[arg-type]
    form = DeliveryForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose how to receive the result."))
        online.choose_delivery(
            item,
            actor=request.user,
            method=form.cleaned_data["method"],  # type: ignore[arg-type]
            address=form.cleaned_data["address"],
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("Your choice was saved."))
    return redirect("portal-dossier", pk=item.pk)


@permission("portal.dossier_act")
@require_POST
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.citizen_dossier(request.user, pk)  # type: ignore[arg-type]
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            ratings.rate(item, form.cleaned_data, source=RatingSource.ONLINE, actor=request.user)  # type: ignore[arg-type]
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Thank you for your rating."))
            return redirect("portal-dossier", pk=item.pk)
    return dossier(request, pk, rating_form=form)


@permission("portal.dossier_act")
@require_POST
def pay(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.citizen_dossier(request.user, pk)  # type: ignore[arg-type]
    return_url = request.build_absolute_uri(reverse("portal-payment-return"))
    try:
        _payment, url = payments.start(
            item,
            actor=request.user,
            client_ip=client_ip(request),  # type: ignore[arg-type]
            return_url=return_url,
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("portal-dossier", pk=item.pk)
    return redirect(url)


@permission("portal.dossier")
def certified_copy(request: HttpRequest, pk: int, index: int) -> FileResponse:
    """Every signed copy of a certification request (the result shows copy 1 only)."""
    item = selectors.citizen_dossier(request.user, pk)  # type: ignore[arg-type]
    certification = getattr(item, "certification", None)
    if certification is None or item.status not in {Status.RESULT_READY, Status.RETURNED}:
        raise Http404
    copy = certification.signed_copies.filter(index=index).first()
    if copy is None:
        raise Http404
    name = copy.pdf.name.rsplit("/", 1)[-1]
    return serve_file(copy.pdf, filename=name)
