"""Pages of the reports. Thin: the period is parsed, the units checked, the figures read
through the selectors."""

from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from motcua.core import periods
from motcua.core.figures import SECTIONS, NotMeasured, Share, Table, compute
from motcua.core.models import AdministrativeUnit
from motcua.core.periods import Period
from motcua.core.permissions import can, permission
from motcua.core.replica import reads_replica

from . import selectors


class BadPeriod(Exception):
    pass


def _period(request: HttpRequest) -> Period:
    try:
        return periods.parse(request.GET.get("ky", ""))
    except ValidationError as error:
        raise BadPeriod(" ".join(error.messages)) from error


def _bad_period(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "reports/bad_period.html", {"message": message}, status=400)


def drill_url(key: str, units: list[AdministrativeUnit], period: Period, **extra: Any) -> str:
    query = {"chi-tieu": key, "ky": period.code, "don-vi": ",".join(u.code for u in units)}
    return f"{reverse('reports-dossiers')}?{urlencode({**query, **extra})}"


def _sections(table: Table, unit: AdministrativeUnit, period: Period) -> list[dict[str, Any]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for figure in table.figures:
        value = table.value(figure.key, unit.pk)
        row = {"figure": figure, "value": value, "drill": None, "drill_of": None}
        if figure.drills and not isinstance(value, NotMeasured):
            row["drill"] = drill_url(figure.key, [unit], period)
            if figure.kind == "share":
                row["drill_of"] = drill_url(figure.key, [unit], period, phan="mau")
        found.setdefault(figure.section, []).append(row)
    return [{"title": SECTIONS[key], "rows": found[key]} for key in SECTIONS if key in found]


@permission("report.unit")
@reads_replica  # figures and lists from the replica when configured
def unit_report(request: HttpRequest) -> HttpResponse:
    try:
        period = _period(request)
    except BadPeriod as error:
        return _bad_period(request, str(error))
    unit = selectors.chosen_commune(request.user, request.GET.get("don-vi", ""))  # type: ignore[arg-type]
    table = selectors.unit_report(unit, period)
    context = {
        "unit": unit,
        "units": selectors.communes_for(request.user),  # type: ignore[arg-type]
        "period": period,
        "previous": period.previous(),
        "sections": _sections(table, unit, period),
        "by_field": selectors.breakdown(unit, period, "field"),
        "by_procedure": selectors.breakdown(unit, period, "procedure"),
        "drill": lambda key, **extra: drill_url(key, [unit], period, **extra),
    }
    return render(request, "reports/unit_report.html", context)


@permission("report.province")
@reads_replica  # figures and lists from the replica when configured
def province_report(request: HttpRequest) -> HttpResponse:
    try:
        period = _period(request)
    except BadPeriod as error:
        return _bad_period(request, str(error))
    province = selectors.chosen_province(request.user, request.GET.get("tinh", ""))  # type: ignore[arg-type]
    table = selectors.province_report(province, period)
    units = list(AdministrativeUnit.objects.filter(pk__in=table.scope.units).order_by("name"))
    order = request.GET.get("sap-xep", "")
    descending = request.GET.get("chieu", "giam") != "tang"
    if order in table.values:
        units.sort(key=lambda u: _sort_key(table.value(order, u.pk)), reverse=descending)
    rows = [
        {
            "unit": unit,
            "cells": [
                (
                    table.value(f.key, unit.pk),
                    drill_url(f.key, [unit], period) if f.drills else None,
                )
                for f in table.figures
            ],
        }
        for unit in units
    ]
    totals = [table.total(f.key) for f in table.figures]
    return render(
        request,
        "reports/province_report.html",
        {
            "province": province,
            "provinces": selectors.provinces_for(request.user),  # type: ignore[arg-type]
            "period": period,
            "figures": table.figures,
            "rows": rows,
            "totals": totals,
            "order": order,
            "descending": descending,
        },
    )


def _sort_key(value: object) -> float:
    if isinstance(value, Share):
        return -1.0 if value.ratio is None else value.ratio
    if isinstance(value, int):
        return float(value)
    return -2.0  # not measured: last


@permission("report.dossiers")
@reads_replica  # figures and lists from the replica when configured
def dossiers(request: HttpRequest) -> HttpResponse:
    """The dossiers behind a number."""
    try:
        period = _period(request)
    except BadPeriod as error:
        return _bad_period(request, str(error))
    codes = [c for c in request.GET.get("don-vi", "").split(",") if c]
    if not codes:
        raise Http404  # a number's link always names its units
    units = list(AdministrativeUnit.objects.filter(code__in=codes).order_by("name"))
    if len(units) != len(set(codes)) or not all(
        can(request.user, "report.dossiers", unit) for unit in units
    ):
        raise PermissionDenied
    key = request.GET.get("chi-tieu", "")
    part = "denominator" if request.GET.get("phan") == "mau" else "numerator"
    found = selectors.dossiers_behind(
        request.user,  # type: ignore[arg-type]
        key,
        units,
        period,
        part,
        field=_int(request.GET.get("linh-vuc")),
        procedure=_int(request.GET.get("thu-tuc")),
    )
    page = Paginator(found, 50).get_page(request.GET.get("trang"))
    kept = request.GET.copy()
    kept.pop("trang", None)
    return render(
        request,
        "reports/dossiers.html",
        {
            "figure": selectors.figure(key),
            "part": part,
            "units": units,
            "period": period,
            "page": page,
            "count": page.paginator.count,
            "keep": kept.urlencode(),
        },
    )


def _int(text: str | None) -> int | None:
    try:
        value = int(text) if text else None
    except ValueError:
        return None
    return value if value is not None and 0 < value < 2**63 else None  # a database id


def _unit_and_period(request: HttpRequest) -> tuple[AdministrativeUnit, Period]:
    period = _period(request)
    return selectors.chosen_commune(request.user, request.GET.get("don-vi", "")), period  # type: ignore[arg-type]


def _unit_page(template: str, build):  # type: ignore[no-untyped-def]
    """A page about one unit and period: the period checked, the unit chosen among the
    user's, the rest built by ``build(unit, period)``."""

    @permission("report.unit")
    @reads_replica  # figures and lists from the replica when configured
    def page(request: HttpRequest) -> HttpResponse:
        try:
            unit, period = _unit_and_period(request)
        except BadPeriod as error:
            return _bad_period(request, str(error))
        context = {
            "unit": unit,
            "units": selectors.communes_for(request.user),  # type: ignore[arg-type]
            "period": period,
            **build(unit, period),
        }
        return render(request, template, context)

    return page


def _index(unit: AdministrativeUnit, period: Period) -> dict[str, Any]:
    from . import index766

    return {"score": index766.score(unit, period)}


def _evaluation(unit: AdministrativeUnit, period: Period) -> dict[str, Any]:
    from . import evaluation

    return {"evaluation": evaluation.evaluate(unit, period), "staff": evaluation.staff_indicators()}


def _dashboard(unit: AdministrativeUnit, period: Period) -> dict[str, Any]:
    from . import charts, index766

    lines, months = charts.trend(unit, period)
    by_field = [
        (r.name, float(r.late)) for r in selectors.breakdown(unit, period, "field") if r.late
    ]
    score = index766.score(unit, period)
    groups = (
        [(g.name, float(g.points / g.measured_max * 100)) for g in score.groups if g.measured_max]
        if score
        else []
    )
    return {
        "chart": {
            "width": charts.WIDTH,
            "height": charts.HEIGHT,
            "left": charts.LEFT,
            "bottom": charts.HEIGHT - charts.BOTTOM,
        },
        "lines": lines,
        "months": months,
        "late_by_field": charts.bars(by_field),
        "late_by_officer": charts.bars(charts.late_by_officer(unit, period)),
        "index_groups": charts.bars(groups, suffix="%"),
        "headline": _headline(unit, period),
    }


HEADLINE = ["received", "on_time_share", "online_share", "late_without_apology"]


def _headline(unit: AdministrativeUnit, period: Period) -> list[tuple[Any, Any]]:
    table = compute([unit.pk], period.start, period.end, HEADLINE)
    return [(f, table.value(f.key, unit.pk)) for f in table.figures]


index_page = _unit_page("reports/index.html", _index)
evaluation_page = _unit_page("reports/evaluation.html", _evaluation)
dashboard = _unit_page("reports/dashboard.html", _dashboard)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@permission("report.export")
@reads_replica  # figures and lists from the replica when configured
def export(request: HttpRequest) -> HttpResponse:
    """?dang=docx|pdf|xlsx for a unit (don-vi), or xlsx of a province's communes (tinh)."""
    from .exports import content as report_content
    from .exports.documents import report_docx, report_pdf
    from .exports.spreadsheets import province_xlsx, report_xlsx

    try:
        period = _period(request)
    except BadPeriod as error:
        return _bad_period(request, str(error))
    kind = request.GET.get("dang", "xlsx")
    if request.GET.get("tinh"):
        province = selectors.chosen_province(request.user, request.GET["tinh"])  # type: ignore[arg-type]
        table = selectors.province_report(province, period)
        units = list(AdministrativeUnit.objects.filter(pk__in=table.scope.units).order_by("name"))
        data = province_xlsx(table, units, f"{province.name} {period.code}")
        return _download(data, XLSX, f"bao-cao-{province.code}-{period.code}.xlsx")
    unit = selectors.chosen_commune(request.user, request.GET.get("don-vi", ""))  # type: ignore[arg-type]
    built = report_content.build(unit, period)
    name = f"bao-cao-{unit.code}-{period.code}"
    if kind == "docx":
        return _download(report_docx(built), DOCX, f"{name}.docx")
    if kind == "pdf":
        return _download(report_pdf(built), "application/pdf", f"{name}.pdf", inline=True)
    return _download(report_xlsx(built), XLSX, f"{name}.xlsx")


def _download(data: bytes, content_type: str, name: str, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
