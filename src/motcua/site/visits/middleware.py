"""Counts a website page view after the response is made (never slowing or failing it)."""

import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from .counting import client_address, is_bot, record

log = logging.getLogger(__name__)


def counts(request: HttpRequest, response: HttpResponse) -> bool:
    """A page of a ward website, seen by a person: not a bot, not a preview, not staff."""
    if request.method != "GET" or response.status_code != 200:
        return False
    if getattr(request, "is_preview", False):
        return False
    purpose = request.headers.get("Sec-Purpose", "") or request.headers.get("Purpose", "")
    if "prefetch" in purpose:
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and not getattr(user, "is_citizen", False):
        return False  # the unit's own staff reading or checking the site
    return not is_bot(request.headers.get("User-Agent", ""))


class VisitCountingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        site_id = getattr(request, "visit_site_id", None)  # set when a site page was served
        if site_id is not None and settings.MOTCUA_VISITS_ENABLED and counts(request, response):
            try:
                record(site_id, client_address(request), request.headers.get("User-Agent", ""))
            except Exception:  # a cache or database hiccup must not cost the visitor the page
                log.exception("Could not count a website visit")
        return response
