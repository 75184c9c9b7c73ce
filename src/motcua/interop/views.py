"""The reconciliation page of a unit's leaders, and sending a rejected status again."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.core import params
from motcua.core.permissions import permission, require, units_where

from . import selectors, services
from .models import SyncMessage
from .systems import configured_systems

SHOWN = 300  # dossier lines on one page; the command lists them all


@permission("interop.reconcile")
def reconciliation(request: HttpRequest) -> HttpResponse:
    units = units_where(request.user, "interop.reconcile")
    if not units.exists():
        raise Http404
    systems = configured_systems()
    system = params.choice(request.GET, "cong", systems, systems[0])
    state = params.choice(request.GET, "trang-thai", ["", *selectors.STATES], "")
    start, end = params.month_range(request.GET)
    found = selectors.reconcile(units, system, start, end)
    lines = [line for line in found.dossiers if not state or line.state == state]
    return render(
        request,
        "interop/reconciliation.html",
        {
            "found": found,
            "lines": lines[:SHOWN],
            "more": max(len(lines) - SHOWN, 0),
            "systems": systems,
            "system": system,
            "state": state,
            "states": selectors.STATES,
            "month": f"{start:%Y-%m}",
            "can_send_again": any(
                u for u in units_where(request.user, "interop.send_again").values_list("pk")
            ),
        },
    )


@permission("interop.send_again")
@require_POST
def send_again(request: HttpRequest, pk: int) -> HttpResponse:
    sync = get_object_or_404(
        SyncMessage.objects.select_related("dossier__unit"),
        pk=pk,
        dossier__unit__in=units_where(request.user, "interop.send_again"),
    )
    require(request.user, "interop.send_again", sync.dossier.unit)
    services.send_again(sync, actor=request.user)  # type: ignore[arg-type]
    messages.success(request, _("The status will be sent to the portal again."))
    return redirect(f"{reverse('interop-reconciliation')}?cong={sync.system}")
