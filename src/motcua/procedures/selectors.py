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
