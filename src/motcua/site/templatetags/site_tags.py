"""The frame of every website page: the unit, its menu, its search page, its counter."""

from typing import Any

from django import template
from wagtail.models import Page, Site

from ..models import HomePage, SearchPage
from ..visits.figures import counter

register = template.Library()


@register.simple_tag(takes_context=True)
def site_frame(context: dict[str, Any]) -> dict[str, Any]:
    request = context["request"]
    site = Site.find_for_request(request)
    home = site.root_page.specific if site else None
    if not isinstance(home, HomePage):
        return {}
    current = context.get("page")
    menu = home.get_children().live().public().in_menu().specific()
    return {
        "home": home,
        "unit": home.unit,
        "menu": [
            (item, isinstance(current, Page) and current.path.startswith(item.path))
            for item in menu
        ],
        "search": SearchPage.objects.live().child_of(home).first(),
        "counter": counter(site.pk),
    }
