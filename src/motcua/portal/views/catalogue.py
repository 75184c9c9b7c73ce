from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from motcua.core.permissions import permission
from motcua.procedures import selectors
from motcua.procedures.models import Field, OnlineLevel

from ..selectors import portal_units


def current_unit(request: HttpRequest):  # type: ignore[no-untyped-def]
    """The ward the citizen applies to: chosen in the catalogue, else the only one there is."""
    units = portal_units()
    code = request.GET.get("don-vi") or request.session.get("portal_unit")
    unit = units.filter(code=code).first() if code else None
    unit = unit or units.order_by("name").first()
    if unit is not None:
        request.session["portal_unit"] = unit.code
    return unit


@permission("portal.catalogue")
def catalogue(request: HttpRequest) -> HttpResponse:
    unit = current_unit(request)
    query = request.GET.get("q", "").strip()
    field = request.GET.get("linh-vuc", "")
    level = request.GET.get("muc-do", "")
    level = level if level in OnlineLevel.values else ""
    found = selectors.catalogue(unit, query, field, level) if unit else []
    page = Paginator(found, 20).get_page(request.GET.get("trang"))
    fields = (
        Field.objects.filter(procedures__in=selectors.published_procedures(unit)).distinct()
        if unit
        else []
    )
    return render(
        request,
        "portal/catalogue.html",
        {
            "unit": unit,
            "units": portal_units().order_by("name"),
            "page": page,
            "query": query,
            "fields": fields,
            "field": field,
            "level": level,
            "levels": OnlineLevel.choices,
        },
    )


@permission("portal.catalogue")
def procedure(request: HttpRequest, pk: int) -> HttpResponse:
    unit = current_unit(request)
    if unit is None:
        raise Http404
    item = get_object_or_404(selectors.published_procedures(unit), pk=pk)
    return render(request, "portal/procedure.html", {"unit": unit, "procedure": item})
