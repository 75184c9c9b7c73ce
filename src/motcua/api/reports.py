"""A unit's figures for a period, as JSON, each with its formula id (the figure's key) and
formula text: the same registry (``core.figures``) the reports pages read."""

from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as BadRequest
from rest_framework.request import Request
from rest_framework.response import Response

from motcua.core import periods
from motcua.core.figures import NotMeasured, Share, all_figures, compute
from motcua.core.models import AdministrativeUnit
from motcua.core.permissions import units_where

from .permissions import TablePermission


class FigureValueSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="the formula id (the figure's key)")
    label = serializers.CharField()
    section = serializers.CharField()
    kind = serializers.ChoiceField(choices=["count", "sum", "share", "unit"])
    formula = serializers.CharField()
    measured = serializers.BooleanField()
    value = serializers.IntegerField(allow_null=True)
    numerator = serializers.IntegerField(allow_null=True)
    denominator = serializers.IntegerField(allow_null=True)
    percent = serializers.FloatField(allow_null=True)
    reason = serializers.CharField(allow_blank=True)


class UnitFiguresSerializer(serializers.Serializer):
    unit = serializers.CharField()
    period = serializers.CharField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    as_of = serializers.DateTimeField(
        allow_null=True,
        help_text="Set when the figures were read from a replica still catching up: they "
        "count the data as of this time (null: current).",
    )
    figures = FigureValueSerializer(many=True)


def _value(figure: Any, value: object) -> dict[str, Any]:
    row: dict[str, Any] = {
        "key": figure.key,
        "label": str(figure.label),
        "section": figure.section,
        "kind": figure.kind,
        "formula": figure.formula_text,
        "measured": not isinstance(value, NotMeasured),
        "value": None,
        "numerator": None,
        "denominator": None,
        "percent": None,
        "reason": value.reason if isinstance(value, NotMeasured) else "",
    }
    if isinstance(value, Share):
        row.update(numerator=value.numerator, denominator=value.denominator, percent=value.percent)
    elif isinstance(value, int):
        row["value"] = value
    return row


@extend_schema(
    parameters=[
        OpenApiParameter("unit", str, required=True, description="statistics code, e.g. 22924"),
        OpenApiParameter(
            "period", str, description="2026-03, 2026-Q1, 2026 or a..b; default this month"
        ),
    ],
    responses=UnitFiguresSerializer,
)
@api_view(["GET"])
@permission_classes([TablePermission])
def unit_figures(request: Request) -> Response:
    """Every figure of one unit for one period ([start, end) in Vietnam time)."""
    code = str(request.query_params.get("unit", ""))[:10]
    unit = (
        units_where(request.user, "report.unit")  # type: ignore[arg-type]
        .filter(code=code)
        .first()
    )
    if unit is None or not isinstance(unit, AdministrativeUnit):
        raise NotFound("Không có đơn vị này trong phạm vi được xem.")
    try:
        period = periods.parse(str(request.query_params.get("period", ""))[:40])
    except ValidationError as error:
        raise BadRequest({"period": error.messages}) from error
    table = compute([unit.pk], period.start, period.end)
    figures = all_figures()
    rows = [_value(figures[key], values[unit.pk]) for key, values in table.values.items()]
    return Response(
        {
            "unit": unit.code,
            "period": period.code,
            "start": period.start,
            "end": period.end,
            "as_of": table.as_of,
            "figures": rows,
        }
    )


unit_figures.cls.motcua_permission = "report.unit"  # type: ignore[attr-defined]
