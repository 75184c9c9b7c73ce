import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils.translation import gettext as _


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Vietnamese unless the user chose otherwise (language cookie).

    Many officers' browsers are set to English; the browser's Accept-Language must not turn
    a Vietnamese public service into an English one.
    """

    def process_request(self, request: HttpRequest) -> None:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)


# Control characters no form, query or address of ours ever needs (tab, newline and carriage
# return are text); PostgreSQL refuses NUL outright, so it must never reach the ORM.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
JSON_CONTROL = re.compile(
    rb"\\u00(?:0[0-8bBcCeEfF]|1[0-9a-fA-F])|\\u007[fF]|[\x00-\x08\x0b\x0c\x0e-\x1f]"
)


class HostileInputMiddleware:
    """Refuse, with a 400 page in Vietnamese, any request whose address, query, form fields,
    upload names or JSON body carry control characters: one guard instead of one per view."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._hostile(request):
            return bad_request_page(
                request, _("The request contains control characters, which are not allowed.")
            )
        return self.get_response(request)

    def _hostile(self, request: HttpRequest) -> bool:
        if CONTROL.search(request.path_info) or _has_control(request.GET):
            return True
        content_type = request.META.get("CONTENT_TYPE", "")
        if request.method in {"POST", "PUT", "PATCH"}:
            if content_type.startswith(("application/x-www-form-urlencoded", "multipart/")):
                try:
                    post, files = request.POST, request.FILES
                except Exception:  # a malformed multipart body: the view refuses it anyway
                    return False
                names = [f.name or "" for f in files.values()]
                return _has_control(post) or any(CONTROL.search(n) for n in names)
            if "json" in content_type:
                return bool(JSON_CONTROL.search(request.body))
        return False


def _has_control(values: QueryDict) -> bool:
    return any(
        CONTROL.search(key) or any(CONTROL.search(v) for v in values.getlist(key)) for key in values
    )


def bad_request_page(request: HttpRequest, message: str, status: int = 400) -> HttpResponse:
    if request.path_info.startswith("/api/"):
        detail = message or _("The request could not be read.")
        return JsonResponse({"detail": detail}, status=status)
    return render(request, "400.html", {"message": message}, status=status)


class ContentSecurityPolicyMiddleware:
    """A Content-Security-Policy on every answer that has none yet (file downloads set their
    own, stricter one). Django 5.2 has no built-in CSP; the policy lives in settings
    (MOTCUA_CSP, and MOTCUA_CSP_ADMIN for the Django and Wagtail admin, whose pages need
    inline scripts and styles)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            admin = request.path_info.startswith(settings.MOTCUA_CSP_ADMIN_PATHS)
            policy = settings.MOTCUA_CSP_ADMIN if admin else settings.MOTCUA_CSP
            response["Content-Security-Policy"] = "; ".join(
                f"{name} {' '.join(sources)}".strip() for name, sources in policy.items()
            )
        return response


class FrameOptionsMiddleware(XFrameOptionsMiddleware):
    """X-Frame-Options DENY (settings.X_FRAME_OPTIONS) everywhere but the admin pages, which
    frame their own previews (Wagtail's page preview): SAMEORIGIN there."""

    def get_xframe_options_value(self, request: HttpRequest, response: HttpResponse) -> str:
        if request.path.startswith(tuple(settings.MOTCUA_CSP_ADMIN_PATHS)):
            return "SAMEORIGIN"
        return super().get_xframe_options_value(request, response)
