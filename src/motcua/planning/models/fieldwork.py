"""Work plans for field work (kế hoạch công tác): an officer going to an upper agency or a
neighbourhood files a plan, a leader approves or rejects it, the officer reports the result."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from motcua.core.models import AdministrativeUnit, Neighbourhood

USER = settings.AUTH_USER_MODEL


class PlaceKind(models.TextChoices):
    UPPER_AGENCY = "upper_agency", _("an upper agency")
    NEIGHBOURHOOD = "neighbourhood", _("a neighbourhood")
    OTHER = "other", _("elsewhere")


class PlanStatus(models.TextChoices):
    SUBMITTED = "submitted", _("waiting for a leader")
    APPROVED = "approved", pgettext_lazy("work plan", "approved")
    REJECTED = "rejected", _("rejected")
    REPORTED = "reported", _("done and reported")
    CANCELLED = "cancelled", _("cancelled")


class WorkPlan(models.Model):
    unit = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(
        USER, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="work_plans"
    )
    purpose = models.TextField(_("purpose"))
    place_kind = models.CharField(_("where"), max_length=20, choices=PlaceKind.choices)
    place = models.CharField(_("place"), max_length=300)
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        verbose_name=_("neighbourhood"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    companions = models.ManyToManyField(
        USER, verbose_name=_("going with"), blank=True, related_name="+"
    )
    companions_other = models.CharField(_("others going"), max_length=300, blank=True)
    on_schedule = models.BooleanField(
        _("on the weekly schedule"),
        default=False,
        help_text=_("A leader's or the unit's engagement: shown on the weekly schedule."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.SUBMITTED
    )
    decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("leader's note"), blank=True)
    report_due_at = models.DateTimeField(_("report due"), null=True, blank=True)
    result = models.TextField(_("result"), blank=True)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("work plan")
        verbose_name_plural = _("work plans")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["unit", "status", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.officer} — {self.place} ({self.starts_at:%d/%m/%Y})"
