"""Queue messages in the caller's transaction; a background task delivers them after commit.

Messages are written from templates in Vietnamese (``messages/<kind>.txt``: first line the
subject, the rest the body; ``messages/<kind>.sms.txt``: the SMS text, sent without
diacritics because most brand-name SMS routes bill Unicode texts as several messages).
"""

from collections.abc import Mapping
from datetime import datetime, timedelta
from functools import partial
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
        OutboxMessage.objects.create(
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
    for message in messages:
        transaction.on_commit(partial(enqueue_delivery, message.pk))
    return messages


def queue_message(
    channel: str,
    recipient: str,
    *,
    kind: str,
    subject: str,
    body: str,
    unit: AdministrativeUnit | None = None,
    about: str = "",
) -> OutboxMessage:
    """A message already rendered by its app (e.g. a portal's JSON status message), delivered
    once the caller commits by the sender registered for ``channel``."""
    message = OutboxMessage.objects.create(
        unit=unit,
        channel=channel,
        recipient=recipient,
        kind=kind,
        about=about,
        subject=subject[:300],
        body=body,
        next_attempt_at=timezone.now(),
    )
    transaction.on_commit(partial(enqueue_delivery, message.pk))
    return message


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
