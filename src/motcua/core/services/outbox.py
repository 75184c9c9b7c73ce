"""Queue messages in the caller's transaction; a background task delivers them after commit.

Messages are written from templates in Vietnamese (``messages/<kind>.txt``: first line the
subject, the rest the body; ``messages/<kind>.sms.txt``: the SMS text, sent without
diacritics because most brand-name SMS routes bill Unicode texts as several messages).
"""

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import TemplateDoesNotExist, render_to_string
from django.utils import timezone, translation

from ..models import AdministrativeUnit, OutboxChannel, OutboxMessage, OutboxStatus, User
from . import audit


def render(kind: str, context: Mapping[str, Any]) -> tuple[str, str]:
    """(subject, body) of the e-mail template of ``kind``, always in Vietnamese."""
    with translation.override("vi"):
        text = render_to_string(f"messages/{kind}.txt", dict(context)).strip()
    subject, _, body = text.partition("\n")
    return subject.strip(), body.strip() + "\n"


def render_sms(kind: str, context: Mapping[str, Any]) -> str:
    from ..messaging.sms import strip_diacritics

    text: str
    with translation.override("vi"):
        try:
            text = str(render_to_string(f"messages/{kind}.sms.txt", dict(context)))
        except TemplateDoesNotExist:
            text = render(kind, context)[0]
    return strip_diacritics(" ".join(text.split()))


def queue(
    kind: str,
    context: Mapping[str, Any],
    *,
    email: str = "",
    phone: str = "",
    unit: AdministrativeUnit | None = None,
    user: User | None = None,
    about: str = "",
    attachments: list[str] | None = None,
    sent_by: User | None = None,
) -> list[OutboxMessage]:
    """One message per address given (e-mail and/or SMS), delivered once the caller commits."""
    subject, body = render(kind, context)
    rows = []
    if email:
        rows.append((OutboxChannel.EMAIL, email, body))
    if phone:
        rows.append((OutboxChannel.SMS, phone, render_sms(kind, context)))
    messages = [
        OutboxMessage(
            unit=unit,
            channel=channel,
            recipient=recipient,
            recipient_user=user,
            kind=kind,
            about=about,
            subject=subject,
            body=text,
            next_attempt_at=timezone.now(),
            attachments=(attachments or []) if channel == OutboxChannel.EMAIL else [],
            sent_by=sent_by,
        )
        for channel, recipient, text in rows
    ]
    _add([(message, None) for message in messages])
    return messages


@contextmanager
def batch() -> Iterator[None]:
    """Messages queued inside the block (by any app: the applicant's, the portals') are
    inserted in one statement when it ends, still inside the caller's transaction; until
    then they have no id (``queue_message``'s ``then`` receives each once it has one). A
    block that raises inserts nothing — its transaction is rolled back anyway."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("outbox.batch() must run inside transaction.atomic()")
    if getattr(connection, "_motcua_outbox_rows", None) is not None:
        yield  # nested: the outer block inserts
        return
    pending: list[Pending] = []
    connection._motcua_outbox_rows = pending
    try:
        yield
    finally:
        connection._motcua_outbox_rows = None
    _insert(pending)


Pending = tuple[OutboxMessage, Callable[[OutboxMessage], object] | None]


def _add(rows: list[Pending]) -> None:
    pending = getattr(transaction.get_connection(), "_motcua_outbox_rows", None)
    if pending is None:
        _insert(rows)
    else:
        pending.extend(rows)


def _insert(rows: list[Pending]) -> None:
    OutboxMessage.objects.bulk_create([message for message, _then in rows])
    for message, then in rows:
        deliver_after_commit(message.pk)
        if then is not None:
            then(message)


def queue_message(
    channel: str,
    recipient: str,
    *,
    kind: str,
    subject: str,
    body: str,
    unit: AdministrativeUnit | None = None,
    about: str = "",
    then: Callable[[OutboxMessage], object] | None = None,
) -> OutboxMessage:
    """A message already rendered by its app (e.g. a portal's JSON status message), delivered
    once the caller commits by the sender registered for ``channel``; ``then`` is called with
    it once it is saved (at once, or at the end of a ``batch``)."""
    message = OutboxMessage(
        unit=unit,
        channel=channel,
        recipient=recipient,
        kind=kind,
        about=about,
        subject=subject[:300],
        body=body,
        next_attempt_at=timezone.now(),
    )
    _add([(message, then)])
    return message


def deliver_after_commit(message_id: int) -> None:
    """Hand the message to a worker once the caller commits, in ONE task with every other
    message of the same transaction (a receipt queues an SMS, an e-mail and a status message
    per portal: one task row, not one each). A message whose savepoint rolled back is still
    named in the task and skipped by the delivery (no row to claim)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        enqueue_delivery(message_id)
        return
    batch: _Batch | None = getattr(connection, "_motcua_outbox_batch", None)
    if batch is None or not any(hook[1] == batch.flush for hook in connection.run_on_commit):
        # The first message of this transaction (or the last batch was rolled back).
        batch = connection._motcua_outbox_batch = _Batch([])
        transaction.on_commit(batch.flush)
    batch.ids.append(message_id)


@dataclass
class _Batch:
    ids: list[int]

    def flush(self) -> None:
        if len(self.ids) == 1:
            enqueue_delivery(self.ids[0])
            return
        from ..tasks import deliver_messages  # lazy, as in enqueue_delivery

        deliver_messages.enqueue(self.ids)


def enqueue_delivery(message_id: int, run_after: datetime | None = None) -> None:
    """Hand the message to the task backend; a backend that cannot defer leaves retries to
    the ``send_outbox`` sweep."""
    # Lazy: the task module runs the delivery, which writes through this module.
    from ..tasks import deliver_message

    task = deliver_message
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return
        task = task.using(run_after=run_after)
    task.enqueue(message_id)


def backoff(attempts: int, channel: str = "") -> timedelta:
    """Exponential: base, 2×base, 4×base … capped at one day (or the channel's cap)."""
    cap = settings.MOTCUA_OUTBOX_CHANNEL_LIMITS.get(channel, {}).get("backoff_cap", 86400)
    seconds = settings.MOTCUA_OUTBOX_BACKOFF_SECONDS * 2 ** min(max(attempts - 1, 0), 30)
    return timedelta(seconds=min(seconds, cap))


def gives_up(attempts: int, channel: str) -> bool:
    """A temporary failure is final after the maximum attempts (0 for a channel: never)."""
    limit = settings.MOTCUA_OUTBOX_CHANNEL_LIMITS.get(channel, {}).get(
        "max_attempts", settings.MOTCUA_OUTBOX_MAX_ATTEMPTS
    )
    return bool(limit) and attempts >= limit


@transaction.atomic
def retry(message: OutboxMessage, *, actor: User) -> OutboxMessage:
    """Staff send a failed message again (after fixing the address or the provider)."""
    locked = OutboxMessage.objects.select_for_update().get(pk=message.pk)
    if locked.status != OutboxStatus.FAILED:
        return locked
    before = audit.snapshot(locked, ["status", "attempts", "last_error"])
    locked.status, locked.attempts, locked.next_attempt_at = OutboxStatus.PENDING, 0, timezone.now()
    locked.save(update_fields=["status", "attempts", "next_attempt_at"])
    audit.record(
        actor=actor,
        action="outbox.retry",
        unit=locked.unit,
        obj=locked,
        before=before,
        after=audit.snapshot(locked, ["status", "attempts", "last_error"]),
    )
    transaction.on_commit(lambda: enqueue_delivery(locked.pk))
    return locked
