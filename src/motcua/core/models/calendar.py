"""Administrator overrides of the working-day calendar (days off, compensatory working days)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .units import AdministrativeUnit


class OverrideKind(models.TextChoices):
    DAY_OFF = "day_off", _("day off")
    WORKING_DAY = "working_day", _("working day")


class CalendarOverride(models.Model):
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("administrative unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="calendar_overrides",
        help_text=_("Leave empty for an override that applies to every unit."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=OverrideKind.choices)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"))
    reason = models.CharField(_("reason"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="calendar_override_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        span = self.start_date.strftime("%d/%m/%Y")
        if self.end_date != self.start_date:
            span += "–" + self.end_date.strftime("%d/%m/%Y")
        return f"{self.get_kind_display()} {span}: {self.reason}"

    def clean(self) -> None:
        if self.start_date and self.end_date:
            if self.end_date < self.start_date:
                raise ValidationError(
                    {"end_date": gettext("The end date is before the start date.")}
                )
            self.check_no_overlap()

    def check_no_overlap(self) -> None:
        """Two overrides of the same scope may not share a day: which one would win is unclear."""
        clash = (
            CalendarOverride.objects.filter(
                unit_id=self.unit_id, start_date__lte=self.end_date, end_date__gte=self.start_date
            )
            .exclude(pk=self.pk)
            .first()
        )
        if clash:
            raise ValidationError(
                gettext("These dates overlap an existing override: %(other)s."),
                code="overlap",
                params={"other": str(clash)},
            )
