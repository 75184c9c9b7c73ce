"""Reads of the procedure catalogue."""

from django.db.models import QuerySet

from motcua.core.models import AdministrativeUnit

from .models import Procedure


def published_procedures(unit: AdministrativeUnit) -> QuerySet[Procedure]:
    """What a unit's citizens may apply for: its province's published catalogue."""
    return (
        Procedure.objects.filter(province=unit.province, published=True)
        .select_related("field")
        .prefetch_related("fees", "papers", "steps")
    )


def search_procedures(unit: AdministrativeUnit, query: str, limit: int = 20) -> QuerySet[Procedure]:
    """Published procedures of the unit matching every word, diacritics and case ignored."""
    from motcua.core.importing import fold

    found = published_procedures(unit)
    for word in fold(query).split():
        found = found.filter(search_text__contains=word)
    return found.order_by("name")[:limit]


def catalogue(
    unit: AdministrativeUnit, query: str = "", field: str = "", online_level: str = ""
) -> QuerySet[Procedure]:
    """The public catalogue: every word of ``query`` (diacritics ignored), field, online level."""
    from motcua.core.importing import fold

    found = published_procedures(unit)
    for word in fold(query).split():
        found = found.filter(search_text__contains=word)
    if field:
        found = found.filter(field__code=field)
    if online_level:
        found = found.filter(online_level=online_level)
    return found.order_by("field__name", "name")
