"""The visitors of the sites a user edits, per day, as a server-drawn bar chart."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from wagtail.models import GroupPagePermission, Site

from .visits.figures import counter, visitors_per_day

DAYS = 30
BAR, GAP, HEIGHT = 14, 4, 160  # pixels


def editable_sites(user) -> list[Site]:  # type: ignore[no-untyped-def]
    sites = Site.objects.select_related("root_page").order_by("site_name")
    if user.is_superuser:
        return list(sites)
    roots = GroupPagePermission.objects.filter(group__user=user).values("page")
    return list(sites.filter(root_page__in=roots))


def visits(request: HttpRequest) -> HttpResponse:
    charts = []
    for site in editable_sites(request.user):
        days = visitors_per_day(site.pk, DAYS)
        top = max((n for _day, n in days), default=0) or 1
        bars = [
            {
                "day": day,
                "visitors": n,
                "x": i * (BAR + GAP),
                "height": round(n * HEIGHT / top),
                "y": HEIGHT - round(n * HEIGHT / top),
            }
            for i, (day, n) in enumerate(days)
        ]
        charts.append({"site": site, "bars": bars, "counter": counter(site.pk)})
    return render(
        request,
        "site/admin/visits.html",
        {
            "charts": charts,
            "width": DAYS * (BAR + GAP) + 30,
            "height": HEIGHT,
            "bar": BAR,
            "days": DAYS,
        },
    )
