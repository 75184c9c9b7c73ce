"""Reads of the documents module: who may see what, work queues, search."""

from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from motcua.core.importing import fold
from motcua.core.models import Role, User
from motcua.core.selectors import active_assignments, units_for

from .models import Confidentiality, IncomingDocument, IncomingStatus, OutgoingDocument


def incoming_for(user: User) -> QuerySet[IncomingDocument]:
    """Documents of the user's units; confidential ones only for the people named on them."""
    return (
        IncomingDocument.objects.filter(unit__in=units_for(user))
        .filter(Q(confidentiality=Confidentiality.NORMAL) | Q(readers=user))
        .select_related("type", "unit")
        .distinct()
    )


def outgoing_for(user: User) -> QuerySet[OutgoingDocument]:
    leader_units = active_assignments(user).filter(role=Role.LEADER).values("unit")
    return (
        OutgoingDocument.objects.filter(unit__in=units_for(user))
        .filter(
            Q(confidentiality=Confidentiality.NORMAL)
            | Q(drafted_by=user)
            | Q(signer=user)
            | Q(unit__in=leader_units)
        )
        .select_related("type", "unit")
    )


def to_direct(user: User) -> QuerySet[IncomingDocument]:
    return incoming_for(user).filter(status=IncomingStatus.REGISTERED).order_by("received_at")


def assigned_to(user: User) -> QuerySet[IncomingDocument]:
    return (
        incoming_for(user)
        .filter(
            Q(directions__lead=user) | Q(directions__supporting=user),
            status=IncomingStatus.DIRECTED,
        )
        .distinct()
    )


def overdue(user: User, now: datetime | None = None) -> QuerySet[IncomingDocument]:
    now = now or timezone.now()
    return incoming_for(user).filter(status=IncomingStatus.DIRECTED, due_at__lt=now)


def due_soon(user: User, now: datetime | None = None, days: int = 2) -> QuerySet[IncomingDocument]:
    now = now or timezone.now()
    return incoming_for(user).filter(
        status=IncomingStatus.DIRECTED, due_at__gte=now, due_at__lt=now + timedelta(days=days)
    )


def search_incoming(user: User, query: str) -> QuerySet[IncomingDocument]:
    """Every word of the query, in any field, diacritics and case ignored."""
    found = incoming_for(user)
    for word in fold(query).split():
        found = found.filter(search_text__contains=word)
    return found.order_by("-received_at")


def search_outgoing(user: User, query: str) -> QuerySet[OutgoingDocument]:
    found = outgoing_for(user)
    for word in fold(query).split():
        found = found.filter(search_text__contains=word)
    return found.order_by("-created_at")
