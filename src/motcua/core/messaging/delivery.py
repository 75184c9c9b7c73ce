"""Deliver one outbox message: claim it, send it outside any transaction, record the result.

A claim is a conditional UPDATE, so two workers never send the same message; a message left
"sending" by a crashed worker is released by the crash recovery (``recover_stale_sending``, also
run by the sweep) after ``MOTCUA_STALE_AFTER["sending"]``: sent again (at least once; the
Message-ID and the SMS reference stay the same, so a receiver can drop a duplicate), or failed
after the maximum attempts.
"""

import logging
from datetime import datetime
from smtplib import SMTPException, SMTPResponseException

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from ..models import ORDERED_CHANNELS, OutboxChannel, OutboxMessage, OutboxStatus
from ..recovery import Recovered, stale_after
from ..services import audit
from ..services.outbox import backoff, enqueue_delivery, gives_up
from . import channels
from .sms import DeliveryError, get_gateway

log = logging.getLogger(__name__)


def claim(message_id: int) -> OutboxMessage | None:
    """Take the message if it is due and, on an ordered channel, every earlier message about
    the same thing to the same receiver is sent: one conditional UPDATE, so a later status
    never overtakes an earlier one even with several workers."""
    now = timezone.now()
    earlier_unsent = OutboxMessage.objects.filter(
        channel=OuterRef("channel"),
        recipient=OuterRef("recipient"),
        about=OuterRef("about"),
        pk__lt=OuterRef("pk"),
    ).exclude(status=OutboxStatus.SENT)
    claimed = (
        OutboxMessage.objects.filter(
            Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
            pk=message_id,
            status=OutboxStatus.PENDING,
        )
        .exclude(Q(channel__in=ORDERED_CHANNELS) & Exists(earlier_unsent))
        .update(status=OutboxStatus.SENDING, claimed_at=now)
    )
    return OutboxMessage.objects.get(pk=message_id) if claimed else None


def deliver(message_id: int) -> str:
    """Send ``message_id`` if it is due; returns its status afterwards."""
    message = claim(message_id)
    if message is None:
        return "skipped"
    try:
        message.provider_id = _send(message)
    except DeliveryError as error:
        return _failed(message, str(error), temporary=error.temporary)
    message.status, message.sent_at = OutboxStatus.SENT, timezone.now()
    message.attempts += 1
    message.save(update_fields=["status", "sent_at", "attempts", "provider_id"])
    if message.channel in ORDERED_CHANNELS:
        _release_next(message)
    return message.status


def _release_next(message: OutboxMessage) -> None:
    """The next message of an ordered series waited for this one: hand it to a worker now."""
    following = (
        OutboxMessage.objects.filter(
            channel=message.channel,
            recipient=message.recipient,
            about=message.about,
            pk__gt=message.pk,
            status=OutboxStatus.PENDING,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    if following is not None:
        enqueue_delivery(following)


def _send(message: OutboxMessage) -> str:
    if message.channel not in (OutboxChannel.SMS, OutboxChannel.EMAIL):
        return channels.send(message)
    if message.channel == OutboxChannel.SMS:
        return get_gateway().send(message.recipient, message.body, f"motcua-{message.pk}")
    mail = EmailMessage(
        message.subject,
        message.body,
        settings.DEFAULT_FROM_EMAIL,
        [message.recipient],
        headers={"Message-ID": f"<outbox-{message.pk}@{settings.MOTCUA_MAIL_DOMAIN}>"},
    )
    for name in message.attachments:  # files stay in storage; read at send time
        try:
            with default_storage.open(name, "rb") as handle:
                mail.attach(name.rsplit("/", 1)[-1], handle.read())
        except OSError as error:
            raise DeliveryError(
                f"Không đọc được tệp đính kèm {name}: {error}", temporary=False
            ) from error
    try:
        mail.send(fail_silently=False)
    except SMTPResponseException as error:  # 4xx: try again later; 5xx: the address is wrong
        raise DeliveryError(
            f"SMTP {error.smtp_code}: {error.smtp_error!r}", temporary=400 <= error.smtp_code < 500
        ) from error
    except (SMTPException, OSError) as error:
        raise DeliveryError(f"SMTP: {error}", temporary=True) from error
    return mail.extra_headers["Message-ID"]


def _failed(message: OutboxMessage, error: str, *, temporary: bool) -> str:
    message.attempts += 1
    message.last_error = error[:2000]
    if temporary and not gives_up(message.attempts, message.channel):
        message.status = OutboxStatus.PENDING
        message.next_attempt_at = timezone.now() + backoff(message.attempts, message.channel)
    else:
        message.status = OutboxStatus.FAILED
    message.save(update_fields=["status", "attempts", "last_error", "next_attempt_at"])
    log.warning("Outbox message %s attempt %s failed: %s", message.pk, message.attempts, error)
    if message.status == OutboxStatus.PENDING:
        enqueue_delivery(message.pk, run_after=message.next_attempt_at)
    return message.status


def sweep() -> int:
    """Release stuck claims and deliver every due message now; returns how many were tried."""
    now = timezone.now()
    recover_stale_sending(now)
    due = (
        OutboxMessage.objects.filter(
            Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
            status=OutboxStatus.PENDING,
        )
        .order_by("pk")  # an ordered series goes out first to last
        .values_list("pk", flat=True)
    )
    ids = list(due)
    for pk in ids:
        deliver(pk)
    return len(ids)


STALE_SENDING = "Tiến trình gửi đã dừng đột ngột khi đang gửi tin này."


def recover_stale_sending(now: datetime) -> Recovered:
    """Messages "sending" longer than the timeout: their worker died mid-send. Each is taken
    by a compare-and-set on its claim, counted as an attempt, and queued again or failed."""
    found = Recovered()
    stale = OutboxMessage.objects.filter(
        Q(claimed_at__lt=now - stale_after("sending")) | Q(claimed_at__isnull=True),
        status=OutboxStatus.SENDING,
    )
    fields = ("id", "unit_id", "claimed_at", "attempts", "kind", "recipient", "channel")
    for message in stale.only(*fields):
        attempts = message.attempts + 1
        give_up = gives_up(attempts, message.channel)
        status = OutboxStatus.FAILED if give_up else OutboxStatus.PENDING
        with transaction.atomic():
            taken = OutboxMessage.objects.filter(
                pk=message.pk, status=OutboxStatus.SENDING, claimed_at=message.claimed_at
            ).update(
                status=status, attempts=attempts, last_error=STALE_SENDING, next_attempt_at=None
            )
            if not taken:
                continue  # sent meanwhile, or another recovery took it
            audit.record(
                actor=None,
                action="outbox.recovered",
                unit=message.unit,
                obj=message,
                before={"status": OutboxStatus.SENDING, "claimed_at": str(message.claimed_at)},
                after={"status": status, "attempts": attempts},
                reason=STALE_SENDING,
            )
            if not give_up:
                transaction.on_commit(lambda pk=message.pk: enqueue_delivery(pk))
        (found.failed if give_up else found.requeued).append(f"outbox:{message.pk}")
        log.warning("Outbox message %s was left sending by a dead worker: %s", message.pk, status)
    return found
