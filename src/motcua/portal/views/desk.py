"""Portal pages used at the desk: online submission for a citizen, the rating kiosk, and the
messages that could not be delivered."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.core import params
from motcua.core.models import OutboxMessage, OutboxStatus
from motcua.core.permissions import permission, require, units_where
from motcua.core.services import outbox
from motcua.dossiers.models import Dossier
from motcua.dossiers.views import desk_unit_or_404
from motcua.procedures.selectors import catalogue

from .. import selectors
from ..forms import RatingForm
from ..models import RatingSource
from ..services import drafts, ratings


@permission("dossier.assisted")
def assisted(request: HttpRequest) -> HttpResponse:
    """Choose the procedure, then fill in the same online form for the citizen at the counter."""
    unit = desk_unit_or_404(request, "dossier.assisted")
    if request.method == "POST":
        chosen = params.record_id(request.POST, "procedure")
        procedure = get_object_or_404(catalogue(unit), pk=chosen)
        try:
            draft = drafts.start(request.user, unit, procedure, assisted=True)  # type: ignore[arg-type]
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            return redirect("portal-draft", pk=draft.pk)
    query = request.GET.get("q", "")
    found = catalogue(unit, query).exclude(online_level="none")[:30]
    return render(
        request, "portal/assisted.html", {"unit": unit, "query": query, "procedures": found}
    )


@permission("dossier.kiosk")
def kiosk(request: HttpRequest) -> HttpResponse:
    """A screen turned to the citizen: after a paper return, rate it with a few taps."""
    unit = desk_unit_or_404(request, "dossier.kiosk")
    form = RatingForm(request.POST or None)
    if request.method == "POST":
        dossier = get_object_or_404(
            Dossier, pk=params.record_id(request.POST, "dossier"), unit=unit
        )
        if form.is_valid():
            try:
                ratings.rate(dossier, form.cleaned_data, source=RatingSource.KIOSK)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                return render(request, "portal/kiosk_thanks.html", {"unit": unit})
    dossier = selectors.kiosk_dossier(request.user, unit)  # type: ignore[arg-type]
    template = (
        "portal/partials/kiosk.html" if request.headers.get("HX-Request") else ("portal/kiosk.html")
    )
    return render(request, template, {"unit": unit, "dossier": dossier, "form": form})


@permission("outbox.list")
def outbox_page(request: HttpRequest) -> HttpResponse:
    units = units_where(request.user, "outbox.list")
    if not units.exists():
        raise Http404
    status = request.GET.get("trang-thai", OutboxStatus.FAILED)
    status = status if status in OutboxStatus.values else ""
    return render(
        request,
        "portal/outbox.html",
        {
            "messages_list": selectors.unit_messages(units, status)[:200],
            "status": status,
            "statuses": OutboxStatus.choices,
        },
    )


@permission("outbox.resend")
@require_POST
def outbox_retry(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(
        OutboxMessage, pk=pk, unit__in=units_where(request.user, "outbox.resend")
    )  # type: ignore[arg-type]
    require(request.user, "outbox.resend", message.unit)
    outbox.retry(message, actor=request.user)  # type: ignore[arg-type]
    messages.success(request, _("The message will be sent again."))
    return redirect("desk-outbox")
