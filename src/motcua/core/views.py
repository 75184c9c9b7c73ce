from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .selectors import roles_by_unit


def home(request: HttpRequest) -> HttpResponse:
    """Staff see their units; citizens and visitors land on the public services."""
    if not request.user.is_authenticated:
        return redirect("portal-home")
    if request.user.is_citizen:  # type: ignore[union-attr]
        return redirect("portal-mine")
    return render(request, "core/home.html", {"units": roles_by_unit(request.user)})
