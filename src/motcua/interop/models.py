"""What MotCua sends the upper-level portals: the status table (data) and one row per sync
message, beside the outbox row that carries it."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.models import OutboxMessage
from motcua.dossiers.models import Dossier


class StatusMapping(models.Model):
    """One row of the crosswalk to TrangThaiHoSo (seeded from ``codes.DEFAULT_MAPPING``)."""

    key = models.CharField(
        _("our action or status"),
        max_length=60,
        unique=True,
        help_text=_("“action:<workflow action>” or “status:<dossier status>”."),
    )
    code = models.PositiveSmallIntegerField(
        _("national status code"),
        null=True,
        blank=True,
        help_text=_("1–10; empty: the code of the dossier's status after the action."),
    )
    send = models.BooleanField(_("sent to the portals"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("status mapping")
        verbose_name_plural = _("status mappings")
        ordering = ["key"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__isnull=True) | models.Q(code__gte=1, code__lte=10),
                name="status_mapping_code_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} → {self.code or '…'}"


class SyncMessage(models.Model):
    """One status message of one dossier to one portal; delivered by its outbox row."""

    outbox = models.OneToOneField(
        OutboxMessage, on_delete=models.PROTECT, related_name="portal_sync"
    )
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="portal_syncs")
    system = models.CharField(_("portal"), max_length=20)
    seq = models.PositiveIntegerField(_("sequence"))
    message_id = models.CharField(_("message id"), max_length=64, unique=True)
    action = models.CharField(_("action"), max_length=60)
    status_code = models.PositiveSmallIntegerField(_("national status code"))
    event_at = models.DateTimeField(_("event time"))
    outcome = models.CharField(_("portal's answer"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("portal sync message")
        verbose_name_plural = _("portal sync messages")
        ordering = ["dossier", "system", "seq"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "system", "seq"], name="sync_message_seq_unique"
            )
        ]
        indexes = [models.Index(fields=["system", "event_at"], name="sync_system_event")]

    def __str__(self) -> str:
        return f"{self.system} {self.dossier} #{self.seq} → {self.status_code}"


class InboundDossier(models.Model):
    """A dossier a citizen filed on an upper-level portal, pulled into the unit's desk queue.
    The portal's code is unique per portal, so a second delivery never makes a second dossier."""

    system = models.CharField(_("portal"), max_length=20)
    national_code = models.CharField(_("portal's dossier code"), max_length=60)
    unit = models.ForeignKey(
        "core.AdministrativeUnit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    dossier = models.OneToOneField(
        Dossier, on_delete=models.PROTECT, null=True, blank=True, related_name="inbound"
    )
    problem = models.TextField(_("why it could not be taken in"), blank=True)
    confirmed = models.BooleanField(_("confirmed to the portal"), default=False)
    payload = models.JSONField(_("as received"), default=dict)
    received_at = models.DateTimeField(_("pulled at"), auto_now_add=True)

    class Meta:
        verbose_name = _("dossier from a portal")
        verbose_name_plural = _("dossiers from a portal")
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["system", "national_code"], name="inbound_national_code_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.system} {self.national_code}"
