"""The weekly work schedule (lịch công tác tuần) of a unit: leaders' and the unit's meetings
and events, entered or taken from approved work plans, published week by week; what changes
after publication is marked."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.models import AdministrativeUnit

from .fieldwork import WorkPlan

USER = settings.AUTH_USER_MODEL


class Engagement(models.Model):
    unit = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(_("time"))
    ends_at = models.DateTimeField(_("until"), null=True, blank=True)
    content = models.TextField(_("content"))
    host = models.CharField(_("chaired by"), max_length=200, blank=True)
    participants = models.CharField(_("participants"), max_length=300, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    plan = models.OneToOneField(
        WorkPlan, on_delete=models.CASCADE, null=True, blank=True, related_name="engagement"
    )
    cancelled = models.BooleanField(_("cancelled"), default=False)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("schedule item")
        verbose_name_plural = _("schedule items")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["unit", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.starts_at:%d/%m %H:%M} {self.content[:60]}"


class SchedulePublication(models.Model):
    """A week of the schedule made public; a later publication of the same week replaces it."""

    unit = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="+")
    week = models.DateField(_("week (Monday)"))
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    first_published_at = models.DateTimeField(_("first published at"))

    class Meta:
        verbose_name = _("published week")
        verbose_name_plural = _("published weeks")
        constraints = [
            models.UniqueConstraint(fields=["unit", "week"], name="schedule_week_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.week:%d/%m/%Y}"
