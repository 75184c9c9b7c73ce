"""Which ward site a request is for, without a database query on every page view: Wagtail's
own lookup (two queries) is remembered per host name and port for a minute, and forgotten at
once when any Site changes."""

from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest
from django.http.request import split_domain_port
from wagtail.models import Site

from .models import HomePage

VERSION = "site:hosts:version"
REMEMBER_SECONDS = 60


@dataclass(frozen=True)
class Target:
    site_id: int
    is_ward_site: bool  # its root is a ward HomePage (not Wagtail's welcome page)


def target(request: HttpRequest) -> Target | None:
    hostname = split_domain_port(request._get_raw_host())[0]  # as Wagtail does
    key = f"site:host:{cache.get(VERSION, 0)}:{hostname}:{request.get_port()}"
    found = cache.get(key)
    if found is None:
        site = Site.find_for_request(request)
        found = Target(site.pk, isinstance(site.root_page.specific, HomePage)) if site else False
        cache.set(key, found, REMEMBER_SECONDS)
    return found or None


def forget() -> None:
    """A Site was added, changed or removed: look every host up again."""
    cache.add(VERSION, 0, timeout=None)
    try:
        cache.incr(VERSION)
    except ValueError:
        cache.set(VERSION, 1, timeout=None)
