"""The public look-up: dossier code + the applicant's phone → status (and rating, no login)."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from motcua.core.permissions import permission
from motcua.dossiers.selectors import lookup as find

from ..forms import LookupForm, RatingForm
from ..models import RatingSource
from ..services import ratings
from .accounts import lookup_rate


@permission("portal.lookup")
@ratelimit(key="ip", rate=lookup_rate, method="POST", block=True)
def lookup(request: HttpRequest, code: str = "") -> HttpResponse:
    initial = {"code": code or request.GET.get("ma", "")}
    form = LookupForm(request.POST or None, initial=initial)
    context: dict[str, object] = {"form": form}
    if request.method == "POST" and form.is_valid():
        dossier = find(form.cleaned_data["code"], form.cleaned_data["phone"])
        if dossier is None:  # same answer for an unknown code and a wrong phone
            form.add_error(None, _("No dossier matches this code and phone number."))
        else:
            context.update(_found(dossier, form.cleaned_data["phone"]))
    return render(request, "portal/lookup.html", context)


def _found(dossier, phone: str, rating_form: RatingForm | None = None) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {
        "dossier": dossier,
        "phone": phone,
        "can_rate": ratings.can_rate(dossier),
        "rating_form": rating_form or RatingForm(),
    }


@permission("portal.lookup")
@require_POST
@ratelimit(key="ip", rate=lookup_rate, method="POST", block=True)
def rate(request: HttpRequest) -> HttpResponse:
    """Rating from the look-up page: the code and phone prove it is the applicant's."""
    form = LookupForm(request.POST)
    dossier = find(request.POST.get("code", ""), request.POST.get("phone", ""))
    if dossier is None:
        form.add_error(None, _("No dossier matches this code and phone number."))
        return render(request, "portal/lookup.html", {"form": form})
    rating_form = RatingForm(request.POST)
    context = {"form": form, **_found(dossier, request.POST.get("phone", ""), rating_form)}
    if rating_form.is_valid():
        try:
            ratings.rate(dossier, rating_form.cleaned_data, source=RatingSource.LOOKUP)
        except ValidationError as error:
            rating_form.add_error(None, error.messages[0])
        else:
            context.update({"rated": True, "can_rate": False})
    return render(request, "portal/lookup.html", context)
