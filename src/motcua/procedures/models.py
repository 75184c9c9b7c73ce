"""Catalogue of administrative procedures (thủ tục hành chính) as a province publishes them."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.importing import fold
from motcua.core.models import AdministrativeUnit, Position, Role


def validate_half_days(value: Decimal) -> None:
    if value is None:
        return
    if value < 0 or (value * 2) % 1 != 0:
        raise ValidationError(
            _("Working days are counted in whole or half days (e.g. 3 or 2.5)."), code="half_days"
        )


class Field(models.Model):
    """Lĩnh vực: the subject area a procedure belongs to."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("field")
        verbose_name_plural = _("fields")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProcedureLevel(models.TextChoices):
    COMMUNE = "commune", _("commune level")
    PROVINCE = "province", _("province level")
    MULTIPLE = "multiple", _("several levels")


class OnlineLevel(models.TextChoices):
    FULL = "full", _("full online (toàn trình)")
    PARTIAL = "partial", _("partly online (một phần)")
    NONE = "none", _("not online")


LEGACY_LEVEL = {OnlineLevel.FULL: 4, OnlineLevel.PARTIAL: 3, OnlineLevel.NONE: 2}


class Procedure(models.Model):
    province = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="procedures",
        limit_choices_to={"kind__in": ["province", "city"]},
    )
    code = models.CharField(_("national code"), max_length=30)
    name = models.CharField(_("name"), max_length=500)
    field = models.ForeignKey(
        Field, verbose_name=_("field"), on_delete=models.PROTECT, related_name="procedures"
    )
    level = models.CharField(
        _("level"), max_length=20, choices=ProcedureLevel.choices, default=ProcedureLevel.COMMUNE
    )
    processing_days = models.DecimalField(
        _("processing time (working days)"),
        max_digits=5,
        decimal_places=1,
        validators=[validate_half_days],
        help_text=_("0 means within the working day of receipt."),
    )
    processing_note = models.CharField(_("note on processing time"), max_length=300, blank=True)
    result = models.CharField(_("result"), max_length=500)
    electronic_result = models.BooleanField(_("electronic result available"), default=False)
    online_level = models.CharField(
        _("online service level"), max_length=10, choices=OnlineLevel.choices
    )
    published = models.BooleanField(_("published"), default=False)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    unconfirmed = models.JSONField(
        _("values not confirmed from a source"), default=list, blank=True
    )
    source = models.TextField(_("source"), blank=True)
    # Code and name without diacritics or case, so "dang ky khai sinh" finds "Đăng ký khai sinh".
    search_text = models.CharField(max_length=600, editable=False, default="", db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["field__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["province", "code"], name="procedure_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.search_text = fold(f"{self.code} {self.name}")
        super().save(*args, **kwargs)

    @property
    def legacy_level(self) -> int:
        """The online level under Nghị định 43/2011, still asked for in reports."""
        return LEGACY_LEVEL[OnlineLevel(self.online_level)]

    def clean(self) -> None:
        if self.province_id and not self.province.is_province:
            raise ValidationError({"province": _("Choose a province.")})


class FeeOption(models.Model):
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="fees")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    label = models.CharField(_("fee"), max_length=300)
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("fee option")
        verbose_name_plural = _("fees")
        ordering = ["procedure", "order", "id"]

    def __str__(self) -> str:
        return f"{self.label}: {self.amount:,} đ".replace(",", ".")


class RequiredPaper(models.Model):
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="papers")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("paper"), max_length=500)
    originals = models.PositiveSmallIntegerField(_("originals"), default=1)
    copies = models.PositiveSmallIntegerField(_("copies"), default=0)
    optional = models.BooleanField(_("only when applicable"), default=False)
    note = models.CharField(_("note"), max_length=500, blank=True)
    form_template = models.FileField(_("form template"), upload_to="procedures/forms/", blank=True)

    class Meta:
        verbose_name = _("required paper")
        verbose_name_plural = _("required papers")
        ordering = ["procedure", "order", "id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.originals == 0 and self.copies == 0:
            raise ValidationError(_("A required paper needs at least one original or one copy."))


class WorkflowStep(models.Model):
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("step"), max_length=300)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    position = models.CharField(_("position"), max_length=30, choices=Position.choices, blank=True)
    budget_days = models.DecimalField(
        _("time budget (working days)"),
        max_digits=5,
        decimal_places=1,
        validators=[validate_half_days, MinValueValidator(Decimal(0))],
    )

    class Meta:
        verbose_name = _("workflow step")
        verbose_name_plural = _("workflow steps")
        ordering = ["procedure", "order", "id"]

    def __str__(self) -> str:
        return self.name
