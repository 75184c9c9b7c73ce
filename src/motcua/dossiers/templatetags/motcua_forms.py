"""Tags for the legal forms: texts a unit may reword, and Vietnamese date phrasing."""

from datetime import datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.simple_tag(takes_context=True)
def text(context: template.Context, key: str, default: str) -> str:
    """The unit's wording for ``key`` if it set one, else the form's legal default."""
    return context.get("texts", {}).get(key, default)


@register.filter
def vn_datetime(value: datetime | None) -> str:
    """09:00, ngày 02/03/2026 — the moment in Vietnam time as the forms print it."""
    if value is None:
        return "…"
    local = timezone.localtime(value)
    return f"{local:%H:%M}, ngày {local:%d/%m/%Y}"


@register.filter
def vn_long_date(value: datetime | None) -> str:
    """ngày 02 tháng 03 năm 2026 — the date line of an administrative document."""
    if value is None:
        return "ngày … tháng … năm …"
    local = timezone.localtime(value)
    return f"ngày {local:%d} tháng {local:%m} năm {local:%Y}"


@register.filter
def vnd(amount: int | None) -> str:
    """200000 -> 200.000 đ"""
    return f"{amount or 0:,} đ".replace(",", ".")
