"""Append-only audit events, hash-chained per administrative unit.

Each event stores the SHA-256 of its own canonical content plus the previous event's hash,
so editing or deleting a row in SQL breaks the chain where it happened (see verify_chain).
"""

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from ..models import AdministrativeUnit, AuditEvent
from .numbering import Book, counter_key, current_number, next_numbers

GENESIS = "0" * 64
AUDIT_BOOK = "audit"
SECRET_FIELDS = frozenset({"password"})  # never copied into the log


def chain_of(unit: AdministrativeUnit | None) -> str:
    return str(unit.pk) if unit else "system"


def json_safe(value: Any) -> Any:
    """The JSON form the database will hand back, so the hash is reproducible."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """A JSON-safe picture of a model instance for before/after."""
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in SECRET_FIELDS or (fields is not None and field.name not in fields):
            continue
        value = getattr(instance, field.attname)
        if isinstance(value, FieldFile):
            value = value.name or None
        elif isinstance(value, Decimal | date | time | datetime):
            value = str(value)
        data[field.name] = value
    return json_safe(data)


def event_hash(fields: Mapping[str, Any]) -> str:
    canonical = json.dumps(
        fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"), cls=DjangoJSONEncoder
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _hashed_fields(event: AuditEvent) -> dict[str, Any]:
    at = event.at.astimezone(UTC) if event.at.tzinfo else event.at
    return {
        "chain": event.chain,
        "seq": event.seq,
        "at": at.isoformat(timespec="microseconds"),
        "unit": event.unit_id,
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "before": event.before,
        "after": event.after,
        "reason": event.reason,
        "prev_hash": event.prev_hash,
    }


def record(
    *,
    actor: Any,
    action: str,
    unit: AdministrativeUnit | None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: Any = None,
    after: Any = None,
    reason: str = "",
) -> AuditEvent:
    """Append one event to ``unit``'s chain, inside the caller's transaction."""
    seq = next_numbers([book(unit)])[counter_key(unit, AUDIT_BOOK, "")]  # locks the chain
    entry = Entry(actor, action, obj, object_type, object_id, object_repr, before, after, reason)
    return write(unit, seq, [entry])[0]


@dataclass
class Entry:
    """One event to append, before its place in the chain is known."""

    actor: Any
    action: str
    obj: models.Model | None = None
    object_type: str = ""
    object_id: str = ""
    object_repr: str = ""
    before: Any = None
    after: Any = None
    reason: str = ""


def book(unit: AdministrativeUnit | None, count: int = 1) -> Book:
    """The chain's sequence numbers, to issue with a caller's other numbers in one statement
    (``numbering.next_numbers``; put it last) before ``write``."""
    return Book(unit, AUDIT_BOOK, "", count)


def write(unit: AdministrativeUnit | None, last_seq: int, entries: list[Entry]) -> list[AuditEvent]:
    """Append ``entries`` as seqs ``last_seq - len + 1 … last_seq`` of ``unit``'s chain, those
    seqs having been issued in this transaction (which holds the chain's counter row)."""
    chain, first = chain_of(unit), last_seq - len(entries) + 1
    # A statement of its own, after the counter's: under READ COMMITTED it sees the event of
    # the transaction this one waited for on the counter row.
    previous = (
        AuditEvent.objects.filter(chain=chain, seq=first - 1).values_list("hash", flat=True).first()
    )
    events, at = [], timezone.now()
    for seq, entry in enumerate(entries, start=first):
        event = _event(chain, seq, at, unit, entry, previous or GENESIS)
        events.append(event)
        previous = event.hash
    return AuditEvent.objects.bulk_create(events)


def _event(
    chain: str, seq: int, at: datetime, unit: AdministrativeUnit | None, e: Entry, prev: str
) -> AuditEvent:
    object_type, object_id, object_repr = e.object_type, e.object_id, e.object_repr
    if e.obj is not None:
        object_type = object_type or e.obj._meta.label_lower
        object_id = object_id or str(e.obj.pk)
        object_repr = object_repr or str(e.obj)[:300]
    authenticated = e.actor is not None and getattr(e.actor, "is_authenticated", False)
    event = AuditEvent(
        chain=chain,
        seq=seq,
        at=at,
        unit=unit,
        actor=e.actor if authenticated else None,
        actor_label=(e.actor.get_username() if authenticated else "system")[:150],
        action=e.action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:300],
        before=json_safe(e.before),
        after=json_safe(e.after),
        reason=e.reason,
        prev_hash=prev,
    )
    event.hash = event_hash(_hashed_fields(event))
    return event


def save_recorded(
    instance: models.Model,
    *,
    actor: Any,
    action: str,
    unit: AdministrativeUnit | None,
    before: Any = None,
    reason: str = "",
    fields: list[str] | None = None,
) -> None:
    """Validate, save and record one event: the shape of most simple writes."""
    instance.full_clean()
    instance.save()
    record(actor=actor, action=action, unit=unit, obj=instance, before=before,
           after=snapshot(instance, fields), reason=reason)  # fmt: skip


@dataclass(frozen=True)
class BrokenLink:
    chain: str
    seq: int
    problem: str


def verify_chain(chain: str) -> BrokenLink | None:
    """The first broken link of one chain, or None when it is intact."""
    expected_seq, prev_hash = 1, GENESIS
    for event in AuditEvent.objects.filter(chain=chain).order_by("seq").iterator(chunk_size=2000):
        if event.seq != expected_seq:
            return BrokenLink(chain, expected_seq, "missing event (deleted row)")
        if event.prev_hash != prev_hash:
            return BrokenLink(chain, event.seq, "previous-hash link does not match")
        if event_hash(_hashed_fields(event)) != event.hash:
            return BrokenLink(chain, event.seq, "content changed after it was written")
        expected_seq, prev_hash = expected_seq + 1, event.hash
    unit = None if chain == "system" else AdministrativeUnit(pk=int(chain))
    issued = current_number(unit, AUDIT_BOOK)
    if issued >= expected_seq:
        return BrokenLink(chain, expected_seq, "missing event at the end of the chain")
    return None


def chains() -> Iterator[str]:
    """Every chain with an event or an issued sequence number (a fully deleted chain too)."""
    from ..models import Counter

    names = set(AuditEvent.objects.values_list("chain", flat=True).distinct())
    for unit_id in Counter.objects.filter(book=AUDIT_BOOK).values_list("unit_id", flat=True):
        names.add(str(unit_id) if unit_id else "system")
    yield from sorted(names)


@transaction.atomic
def record_standalone(**kwargs: Any) -> AuditEvent:
    """record() for callers that are not already in a transaction (management commands)."""
    return record(**kwargs)
