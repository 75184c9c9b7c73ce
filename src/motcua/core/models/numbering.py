"""Counters behind every number the law makes sequential."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .units import AdministrativeUnit


class Counter(models.Model):
    """The last number issued in one book for one unit and period. Locked row per issue."""

    key = models.CharField(max_length=200, unique=True)
    unit = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    book = models.CharField(_("book"), max_length=50)
    period = models.CharField(_("period"), max_length=20, blank=True)
    value = models.PositiveBigIntegerField(_("last number issued"), default=0)

    class Meta:
        verbose_name = _("number counter")
        verbose_name_plural = _("number counters")

    def __str__(self) -> str:
        return f"{self.key} = {self.value}"
