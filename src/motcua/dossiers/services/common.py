"""What every dossier transition shares: lock, guard, audit, notify."""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from motcua.core.events import dossier_changed
from motcua.core.models import OutboxMessage, User
from motcua.core.services import audit, outbox

from ..models import Dossier, DossierEvent, DossierStep
from ..workflow import Transition, guard

TRACKED = [
    "status",
    "code",
    "received_at",
    "clock_start",
    "due_at",
    "current_step",
    "assignee",
    "outcome",
    "returned_at",
    "timeliness",
]


@contextmanager
def transition(
    dossier: Dossier, actor: User, action: str, *, reason: str = ""
) -> Iterator[tuple[Dossier, Transition]]:
    """Lock the dossier, check the table, let the caller change it, then save and audit."""
    with transaction.atomic():
        # Lock the dossier row only: with a join, PostgreSQL would also lock the unit and
        # procedure rows that every concurrent insert references (a deadlock under load).
        locked = (
            Dossier.objects.select_for_update(of=("self",))
            .select_related("unit", "procedure__field")
            .get(pk=dossier.pk)
        )
        rule = guard(action, locked, actor)
        before = audit.snapshot(locked, TRACKED)
        yield locked, rule
        if rule.target:
            locked.status = rule.target
        locked.save()
        audit.record(
            actor=actor,
            action=f"dossier.{action}",
            unit=locked.unit,
            obj=locked,
            before=before,
            after=audit.snapshot(locked, TRACKED),
            reason=reason,
        )
        changed(locked, action, actor)
    dossier.refresh_from_db()


def changed(dossier: Dossier, action: str, actor: User | None) -> None:
    """Tell the listeners (``core.events``) in this transaction that ``dossier`` changed, at
    the time of the event the action logged (the action's own time, which may be given)."""
    at = getattr(dossier, "_logged_at", None)  # set by log(): spares a query
    if at is None:
        at = dossier.events.order_by("-id").values_list("at", flat=True).first()
    dossier_changed.send(
        sender=Dossier, dossier=dossier, action=action, actor=actor, at=at or timezone.now()
    )


def now_or(at: datetime | None) -> datetime:
    return at or timezone.now()


def log(
    dossier: Dossier,
    kind: str,
    actor: User | None,
    at: datetime,
    *,
    step: DossierStep | None = None,
    to_user: User | None = None,
    to_role: str = "",
    to_unit: str = "",
    timeliness: str = "",
    note: str = "",
) -> DossierEvent:
    dossier._logged_at = at  # type: ignore[attr-defined]  # the event time changed() sends
    return DossierEvent.objects.create(
        dossier=dossier,
        kind=kind,
        actor=actor,
        at=at,
        step=step,
        to_user=to_user,
        to_role=to_role,
        to_unit=to_unit,
        timeliness=timeliness,
        note=note,
    )


def notify(dossier: Dossier, kind: str, **context: object) -> list[OutboxMessage]:
    """Queue the message ``kind`` to the applicant (e-mail and SMS) in the caller's
    transaction; the outbox task sends it after commit (template ``messages/<kind>.txt``)."""
    return outbox.queue(
        kind,
        {
            "dossier": dossier,
            "unit": dossier.unit,
            "public_url": settings.MOTCUA_PUBLIC_URL,
            **context,
        },
        email=dossier.applicant_email,
        phone=dossier.applicant_phone,
        unit=dossier.unit,
        user=dossier.applicant_user,
        about=about(dossier),
    )


def about(dossier: Dossier) -> str:
    return f"dossier:{dossier.pk}"


def hold(dossier: Dossier, **related: Sequence[object]) -> None:
    """Keep rows just written as the dossier's prefetched relations (``steps``, ``events``),
    in their order, so showing the dossier right after does not read them back."""
    cache = getattr(dossier, "_prefetched_objects_cache", None) or {}
    for name, rows in related.items():
        found = getattr(dossier, name).all()
        found._result_cache, found._prefetch_done = list(rows), True
        cache[name] = found
    dossier._prefetched_objects_cache = cache  # type: ignore[attr-defined]
