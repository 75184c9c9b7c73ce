"""Queue a dossier's status messages to the upper-level portals, in the transaction of the
state change (``core.events.dossier_changed``); core's outbox delivers them after commit."""

import json
import uuid
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Max, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from motcua.core.models import OutboxChannel, OutboxMessage, OutboxStatus, User
from motcua.core.services import audit, outbox
from motcua.dossiers.models import Dossier

from . import payload
from .codes import DEFAULT_MAPPING, NATIONAL_STATUSES
from .models import StatusMapping, SyncMessage
from .systems import configured_systems


def on_dossier_changed(
    sender: object,
    *,
    dossier: Dossier,
    action: str,
    actor: User | None,
    at: datetime,
    **kwargs: Any,
) -> None:
    if not dossier.code:  # not received yet: the portal knows a dossier by its code
        return
    code = status_code(action, dossier.status)
    if code is None:
        return
    for system in configured_systems():
        queue(dossier, system, action=action, code=code, actor=actor, at=at)


def status_code(action: str, status: str) -> int | None:
    """The national code ``action`` is sent with, or None when the action is not sent."""
    rows = mapping([f"action:{action}", f"status:{status}"])
    rule = rows.get(f"action:{action}")
    if rule is None or not rule[1]:
        return None
    if rule[0] is not None:
        return rule[0]
    fallback = rows.get(f"status:{status}")
    return fallback[0] if fallback and fallback[1] else None


MAPPING_CACHE_KEY, MAPPING_CACHE_SECONDS = "interop:status-mapping", 300


def mapping(keys: list[str]) -> dict[str, tuple[int | None, bool]]:
    """key → (code, sent?): the province's rows of StatusMapping, and for a key it has no row
    for, the default of ``codes.DEFAULT_MAPPING`` (the table holds the corrections)."""
    found = {key: (code, send) for key, code, send, _note in DEFAULT_MAPPING if key in keys}
    rows = mapping_rows()
    found.update({key: rows[key] for key in keys if key in rows})
    return found


def mapping_rows() -> dict[str, tuple[int | None, bool]]:
    """The whole table (a few dozen rows), kept in the cache: every state change reads it.
    A save or delete of a row clears it (``apps.py``); Redis shares that across processes,
    and a process-local cache holds it at most MAPPING_CACHE_SECONDS."""
    rows = cache.get(MAPPING_CACHE_KEY)
    if rows is None:
        found = StatusMapping.objects.values_list("key", "code", "send")
        rows = {key: (code, send) for key, code, send in found}
        cache.set(MAPPING_CACHE_KEY, rows, MAPPING_CACHE_SECONDS)
    return rows


def forget_mapping(**_kwargs: object) -> None:
    cache.delete(MAPPING_CACHE_KEY)


def queue(
    dossier: Dossier,
    system: str,
    *,
    action: str,
    code: int,
    actor: User | None,
    at: datetime,
    seq: int | None = None,
) -> SyncMessage | None:
    """One message, next in the dossier's series for ``system`` (the caller holds the dossier;
    ``seq`` when the caller knows it, else computed inside the INSERT, and not read back).
    None when the caller's ``outbox.batch()`` inserts it later."""
    message_id = uuid.uuid4().hex
    body = payload.build(
        dossier, message_id=message_id, action=action, code=code, actor=actor, at=at
    )
    made: list[SyncMessage] = []

    def record(carrier: OutboxMessage) -> None:
        made.append(
            SyncMessage.objects.create(
                outbox=carrier,
                dossier=dossier,
                system=system,
                seq=seq or Coalesce(Subquery(_last_seq(dossier.pk, system)), 0) + 1,
                message_id=message_id,
                action=action,
                status_code=code,
                event_at=at,
            )
        )

    outbox.queue_message(
        OutboxChannel.PORTAL,
        system,
        kind=f"portal.{action}",
        subject=f"{dossier.code}: {code} {NATIONAL_STATUSES[code]}",
        body=json.dumps(body, ensure_ascii=False),
        unit=dossier.unit,
        about=f"dossier:{dossier.pk}",
        then=record,  # in an outbox.batch(), once the carrier row is inserted
    )
    return made[0] if made else None


def _last_seq(dossier_id: int, system: str) -> QuerySet[SyncMessage]:
    found = SyncMessage.objects.filter(dossier_id=dossier_id, system=system)
    return found.order_by().values("dossier_id").annotate(m=Max("seq")).values("m")


@transaction.atomic
def send_again(sync: SyncMessage, *, actor: User) -> SyncMessage:
    """A rejected message, sent again once the officer fixed what the portal named in the
    catalogue (the delivery reads the procedure's and unit's codes at send time); its event,
    status and time stay those of the original."""
    locked = SyncMessage.objects.select_for_update().select_related("outbox").get(pk=sync.pk)
    carrier = locked.outbox
    if carrier.status != OutboxStatus.FAILED:
        return locked
    locked.outcome = ""
    locked.save(update_fields=["outcome"])
    audit.record(
        actor=actor,
        action="interop.send_again",
        unit=locked.dossier.unit,
        obj=locked,
        before={"last_error": carrier.last_error},
        after={"system": locked.system, "seq": locked.seq},
    )
    outbox.retry(carrier, actor=actor)
    return locked


def mark_answered(sync_id: int, outcome: str) -> None:
    SyncMessage.objects.filter(pk=sync_id).update(outcome=outcome)


@transaction.atomic
def queue_missing(dossier: Dossier, system: str) -> SyncMessage | None:
    """A dossier the portal never heard of (received before the connection was configured):
    one message with its current status, from the reconciliation."""
    locked = Dossier.objects.select_for_update(of=("self",)).get(pk=dossier.pk)
    if SyncMessage.objects.filter(dossier=locked, system=system).exists() or not locked.code:
        return None
    code, send = mapping([f"status:{locked.status}"]).get(f"status:{locked.status}", (None, False))
    if code is None or not send:
        return None
    sync = queue(
        locked, system, action="reconcile", code=code, actor=None, at=timezone.now(), seq=1
    )
    assert sync is not None  # no batch here: saved at once
    audit.record(
        actor=None,
        action="interop.queue_missing",
        unit=locked.unit,
        obj=sync,
        after={"system": system, "status_code": code},
    )
    return sync
