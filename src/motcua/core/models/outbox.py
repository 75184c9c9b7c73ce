"""The notification outbox: every message to a citizen or officer, written in the same
transaction as the change it reports and delivered afterwards by a background task."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .units import AdministrativeUnit


class OutboxChannel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    SMS = "sms", _("SMS")
    # A status message to an upper-level portal; the recipient is the portal's code. Sent in
    # order per dossier (``ORDERED_CHANNELS``) by the sender its app registers.
    PORTAL = "portal", _("upper-level portal")


# Channels whose messages about the same thing go out one at a time, in the order written.
ORDERED_CHANNELS = frozenset({OutboxChannel.PORTAL})


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("waiting to be sent")
    SENDING = "sending", _("being sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("delivery failed")


class OutboxMessage(models.Model):
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=OutboxChannel.choices)
    recipient = models.CharField(_("recipient"), max_length=254)
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("message"), max_length=40)
    # What the message is about, e.g. "dossier:42", so a dossier's page can list its messages.
    about = models.CharField(_("about"), max_length=60, blank=True, db_index=True)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    attachments = models.JSONField(
        _("attachments"),
        default=list,
        blank=True,
        help_text=_("Storage names of files sent with the e-mail."),
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The officer who sent it from the official mailbox (counted in reports)."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    provider_id = models.CharField(_("provider's message id"), max_length=200, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["channel", "recipient", "about"], name="outbox_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient}: {self.subject}"
