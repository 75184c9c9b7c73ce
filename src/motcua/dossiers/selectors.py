"""Reads of the one-stop desk, scoped to the acting user's units."""

from datetime import datetime

from django.db.models import QuerySet

from motcua.core.models import AdministrativeUnit, User
from motcua.core.selectors import units_for

from .models import Dossier


def dossiers_for(user: User) -> QuerySet[Dossier]:
    """Every dossier the user may see: those of the units they hold a role in."""
    return Dossier.objects.filter(unit__in=units_for(user)).select_related("unit", "procedure")


def ledger_lines(unit: AdministrativeUnit, start: datetime, end: datetime) -> QuerySet[Dossier]:
    return (
        Dossier.objects.filter(unit=unit, received_at__gte=start, received_at__lt=end)
        .exclude(ledger_line__isnull=True)
        .select_related("procedure")
        .prefetch_related("steps")
        .order_by("ledger_year", "ledger_line")
    )
