from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .permissions import permission
from .selectors import roles_by_unit


@permission("core.home")
def home(request: HttpRequest) -> HttpResponse:
    """Staff see their units; citizens and visitors land on the public services."""
    if not request.user.is_authenticated:
        return redirect("portal-home")
    if request.user.is_citizen:  # type: ignore[union-attr]
        return redirect("portal-mine")
    return render(request, "core/home.html", {"units": roles_by_unit(request.user)})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Django's CSRF refusal in the user's language, as our page (CSRF_FAILURE_VIEW)."""
    return render(request, "403_csrf.html", status=403)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400: our page (JSON under /api/), with the parser's Vietnamese message when the
    refusal came from core.params; any other 400 says only that the request was not read."""
    from .middleware import bad_request_page
    from .params import InvalidParameter

    message = exception.message if isinstance(exception, InvalidParameter) else ""
    return bad_request_page(request, message)
