"""The cache of public pages. A page is cached for anonymous visitors under a key that holds
its site's version; publishing anything on a site moves the version on, so the next request
renders afresh (no scan for stale keys). Pages that set a cookie or use the CSRF token (the
feedback form) are never cached."""

from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

VERSION = "site:version:{}"


def version(site_id: int) -> int:
    found = cache.get(VERSION.format(site_id))
    if found is None:
        cache.add(VERSION.format(site_id), 1, timeout=None)
        found = cache.get(VERSION.format(site_id), 1)
    return int(found)


def invalidate(site_id: int) -> None:
    """Every cached page of the site is stale from now on."""
    key = VERSION.format(site_id)
    cache.add(key, 1, timeout=None)
    try:
        cache.incr(key)
    except ValueError:  # evicted between the two calls
        cache.set(key, 2, timeout=None)


def cacheable(request: HttpRequest) -> bool:
    return (
        settings.MOTCUA_PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and not request.GET
        and not request.user.is_authenticated
    )


def serve_cached(
    request: HttpRequest, site_id: int, render: Callable[[], HttpResponse]
) -> HttpResponse:
    key = f"site:page:{site_id}:{version(site_id)}:{get_language()}:{request.path}"
    found = cache.get(key)
    if found is not None:
        return found
    response = render()

    def store(rendered: HttpResponse) -> None:
        if (
            rendered.status_code == 200
            and not rendered.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and "private" not in rendered.get("Cache-Control", "")
        ):
            cache.set(key, rendered, settings.MOTCUA_PAGE_CACHE_SECONDS)

    if hasattr(response, "add_post_render_callback") and not response.is_rendered:  # type: ignore[attr-defined]
        response.add_post_render_callback(store)  # type: ignore[attr-defined]
    else:
        store(response)
    return response
