from django import template

from motcua.core.figures import NotMeasured, written

register = template.Library()
register.filter("figure", written)


@register.filter
def measured(value: object) -> bool:
    return not isinstance(value, NotMeasured)


@register.simple_tag
def value_of(table, key: str, unit: int):  # type: ignore[no-untyped-def]
    return table.value(key, unit)
