"""Append-only audit log, hash-chained per administrative unit."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .units import AdministrativeUnit


class AppendOnlyError(Exception):
    pass


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):  # type: ignore[no-untyped-def]
        raise AppendOnlyError("audit events cannot be changed")

    def delete(self):  # type: ignore[no-untyped-def]
        raise AppendOnlyError("audit events cannot be deleted")


class AuditEvent(models.Model):
    # One chain per unit ("system" for events that belong to no unit).
    chain = models.CharField(_("chain"), max_length=20, editable=False)
    seq = models.PositiveBigIntegerField(_("sequence"), editable=False)
    at = models.DateTimeField(_("time"), editable=False)
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("administrative unit"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
    )
    actor_label = models.CharField(_("actor"), max_length=150, editable=False)
    action = models.CharField(_("action"), max_length=80, editable=False)
    object_type = models.CharField(_("object type"), max_length=100, editable=False)
    object_id = models.CharField(_("object id"), max_length=64, blank=True, editable=False)
    object_repr = models.CharField(_("object"), max_length=300, blank=True, editable=False)
    before = models.JSONField(_("before"), null=True, editable=False)
    after = models.JSONField(_("after"), null=True, editable=False)
    reason = models.TextField(_("reason"), blank=True, editable=False)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["chain", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "seq"], name="audit_chain_seq_unique")
        ]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not self._state.adding:
            raise AppendOnlyError("audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise AppendOnlyError("audit events cannot be deleted")
