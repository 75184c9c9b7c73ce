"""Reads of the citizen portal, always scoped to the acting citizen (or to a phone number)."""

from django.db.models import QuerySet
from django.http import Http404

from motcua.core.models import AdministrativeUnit, OutboxMessage, User
from motcua.core.models.units import COMMUNE_KINDS
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.services.common import about

from .models import Draft


def portal_units() -> QuerySet[AdministrativeUnit]:
    """Units that receive dossiers: communes with an identifier code for dossier codes."""
    return AdministrativeUnit.objects.filter(kind__in=COMMUNE_KINDS).exclude(identifier_code="")


def citizen_dossiers(user: User) -> QuerySet[Dossier]:
    return (
        Dossier.objects.filter(applicant_user=user)
        .select_related("procedure", "unit")
        .order_by("-created_at")
    )


def citizen_dossier(user: User, pk: int) -> Dossier:
    """The citizen's own dossier; anyone else's is "not found", never "forbidden"."""
    dossier = citizen_dossiers(user).filter(pk=pk).first()
    if dossier is None:
        raise Http404
    return dossier


def citizen_drafts(user: User) -> QuerySet[Draft]:
    return Draft.objects.filter(owner=user).select_related("procedure", "unit")


def messages_about(dossier: Dossier) -> QuerySet[OutboxMessage]:
    return OutboxMessage.objects.filter(about=about(dossier)).order_by("created_at")


def is_open(dossier: Dossier) -> bool:
    return dossier.status not in {Status.RETURNED, Status.WITHDRAWN, Status.REFUSED}


def kiosk_dossier(officer: User, unit: AdministrativeUnit) -> Dossier | None:
    """The dossier this officer returned last (within 30 minutes) that is not rated yet."""
    from datetime import timedelta

    from django.utils import timezone

    return (
        Dossier.objects.filter(
            unit=unit,
            status=Status.RETURNED,
            rating__isnull=True,
            returned_at__gte=timezone.now() - timedelta(minutes=30),
            events__kind="returned",
            events__actor=officer,
        )
        .select_related("procedure")
        .order_by("-returned_at")
        .first()
    )


def unit_messages(units: QuerySet[AdministrativeUnit], status: str = "") -> QuerySet[OutboxMessage]:
    found = OutboxMessage.objects.filter(unit__in=units)
    if status:
        found = found.filter(status=status)
    return found.order_by("-created_at")
