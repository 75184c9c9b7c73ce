"""The reports' closed-period summaries and the log of writes that make them stale
(``motcua.core.summaries``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FigureChange(models.Model):
    """A write to a table that figures count, logged by a database trigger in the writer's
    transaction: the unit it belongs to (None: it may bear on any unit) and the earliest
    moment it can alter a figure of (None: any period). The scheduler consumes the log."""

    id = models.BigAutoField(primary_key=True)
    # Plain columns, not foreign keys: written by triggers, and a unit's removal must not
    # fail because of them.
    unit_id = models.BigIntegerField(null=True)
    since = models.DateTimeField(null=True)

    class Meta:
        indexes = [models.Index(fields=["unit_id", "since"], name="core_figchange_unit_since")]

    def __str__(self) -> str:
        return f"{self.unit_id or '*'} ≥ {self.since or '*'}"


class FigureSummary(models.Model):
    """Every summarised figure of one unit for one closed period, as counted from the rows,
    valid while no logged change reaches into the period and ``version`` is the figures'."""

    unit = models.ForeignKey("core.AdministrativeUnit", on_delete=models.CASCADE, related_name="+")
    start = models.DateTimeField()
    end = models.DateTimeField()
    version = models.CharField(max_length=64)
    values = models.JSONField()
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("figure summary")
        verbose_name_plural = _("figure summaries")
        constraints = [
            models.UniqueConstraint(fields=["unit", "start", "end"], name="core_figsummary_once")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} [{self.start:%Y-%m-%d}, {self.end:%Y-%m-%d})"
