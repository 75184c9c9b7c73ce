"""The visitor counter of the ward websites. No address or browser string is stored: a
visitor is a keyed hash whose key (salt) lives only as long as its period and is then deleted
with the marks, leaving the counts."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import Site


class Period(models.TextChoices):
    MINUTE = "minute", _("minute")  # for "online now": the last five of them
    DAY = "day", _("day")
    WEEK = "week", _("week")  # Monday to Sunday, Vietnam time
    MONTH = "month", _("month")


class VisitSalt(models.Model):
    """The random key of one period's hashes; deleted when the period is closed."""

    period = models.CharField(max_length=10, choices=Period.choices)
    start = models.DateTimeField()
    salt = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "start"], name="visit_salt_unique")
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.start:%Y-%m-%d %H:%M}"


class VisitorMark(models.Model):
    """A visitor seen on a site in an open period (one row per visitor and period)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=10, choices=Period.choices)
    start = models.DateTimeField()
    digest = models.CharField(max_length=32)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["site", "period", "start", "digest"], name="visitor_mark_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.start:%Y-%m-%d %H:%M}"


class VisitTotal(models.Model):
    """Visitors of a closed period: what the counter and the chart read after rollover."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=10, choices=Period.choices)
    start = models.DateTimeField()
    visitors = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("visitors of a period")
        verbose_name_plural = _("visitors of past periods")
        constraints = [
            models.UniqueConstraint(fields=["site", "period", "start"], name="visit_total_unique")
        ]
        indexes = [models.Index(fields=["site", "period", "start"])]

    def __str__(self) -> str:
        return f"{self.period} {self.start:%Y-%m-%d}: {self.visitors}"
