"""Reads of the documents module: who may see what, work queues, search."""

import re
from datetime import datetime, timedelta
from typing import TypeVar

from django.db import connection
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from motcua.core.importing import fold
from motcua.core.models import Role, User
from motcua.core.permissions import units_where
from motcua.core.selectors import active_assignments

from .models import (
    Confidentiality,
    IncomingDocument,
    IncomingStatus,
    OutgoingDocument,
    OutgoingStatus,
    ReceivedVia,
)

M = TypeVar("M", bound=Model)


def incoming_for(user: User) -> QuerySet[IncomingDocument]:
    """Documents of the user's units; confidential ones only for the people named on them."""
    # A subquery, not a join on the readers: no DISTINCT, so that a search sorted by date
    # stops at the first page of hits instead of sorting them all.
    named = IncomingDocument.readers.through.objects.filter(user=user).values("incomingdocument")
    return (
        IncomingDocument.objects.filter(unit__in=units_where(user, "document.incoming_list"))
        .filter(Q(confidentiality=Confidentiality.NORMAL) | Q(pk__in=named))
        .select_related("type", "unit")
    )


def outgoing_for(user: User) -> QuerySet[OutgoingDocument]:
    # Leaders sign them and the office clerk numbers, issues and registers them.
    leader_units = units_where(user, "document.outgoing_secret").values("pk")
    return (
        OutgoingDocument.objects.filter(unit__in=units_where(user, "document.outgoing_list"))
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


def late_to_present(user: User, now: datetime | None = None) -> QuerySet[IncomingDocument]:
    """Registered but not yet directed after their presentation deadline."""
    now = now or timezone.now()
    return incoming_for(user).filter(status=IncomingStatus.REGISTERED, present_by__lt=now)


def overdue(user: User, now: datetime | None = None) -> QuerySet[IncomingDocument]:
    now = now or timezone.now()
    return incoming_for(user).filter(status=IncomingStatus.DIRECTED, due_at__lt=now)


def due_soon(user: User, now: datetime | None = None, days: int = 2) -> QuerySet[IncomingDocument]:
    now = now or timezone.now()
    return incoming_for(user).filter(
        status=IncomingStatus.DIRECTED, due_at__gte=now, due_at__lt=now + timedelta(days=days)
    )


def search_incoming(user: User, query: str) -> QuerySet[IncomingDocument]:
    """Every word of the query, in any field or file text, diacritics and case ignored."""
    return matching(incoming_for(user), query).order_by("-received_at")


def search_outgoing(user: User, query: str) -> QuerySet[OutgoingDocument]:
    return matching(outgoing_for(user), query).order_by("-created_at")


def matching(found: QuerySet[M], query: str) -> QuerySet[M]:
    """PostgreSQL: full-text search (GIN index, words as prefixes) over the folded text;
    SQLite: each word as a substring of it."""
    words = [w for w in re.split(r"[^0-9a-z]+", fold(query)) if w]
    if not words:
        return found
    if connection.vendor == "postgresql":
        return found.extra(
            where=["to_tsvector('simple', search_text) @@ to_tsquery('simple', %s)"],
            params=[" & ".join(f"{w}:*" for w in words)],
        )
    for word in words:
        found = found.filter(search_text__contains=word)
    return found


def deliveries_of(document: OutgoingDocument) -> QuerySet[IncomingDocument]:
    """Where an issued document arrived in this deployment: acknowledged, or returned."""
    return document.deliveries.select_related("unit").order_by("unit__name")


def may_return(document: IncomingDocument, user: User) -> bool:
    """A misaddressed electronic document, not yet directed, may go back (clerk or leader)."""
    return (
        document.received_via in (ReceivedVia.ELECTRONIC, ReceivedVia.EMAIL)
        and document.status == IncomingStatus.REGISTERED
        and active_assignments(user)
        .filter(unit=document.unit, role__in=[Role.CLERK, Role.LEADER])
        .exists()
    )


def public_documents(unit_id: int) -> QuerySet[OutgoingDocument]:
    """What the unit's website lists: issued, published, never secret; newest first."""
    return (
        OutgoingDocument.objects.filter(
            unit_id=unit_id,
            status=OutgoingStatus.ISSUED,
            public=True,
            confidentiality=Confidentiality.NORMAL,
        )
        .select_related("type", "signer")
        .order_by("-issued_at", "-pk")
    )


def incoming_handlers(document: IncomingDocument) -> set[int]:
    """The officers a direction named (lead and supporting): the assignees of its progress."""
    ids: set[int] = set()
    for direction in document.directions.prefetch_related("supporting"):
        ids.add(direction.lead_id)
        ids.update(user.pk for user in direction.supporting.all())
    return ids
