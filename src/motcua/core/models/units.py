"""Administrative units after the 2025 reform: province -> commune-level unit -> neighbourhood."""

from datetime import time

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("province")
    CITY = "city", _("centrally-run city")
    COMMUNE = "commune", _("commune")
    WARD = "ward", _("ward")
    SPECIAL_ZONE = "special_zone", _("special zone")


PROVINCE_KINDS = frozenset({UnitKind.PROVINCE, UnitKind.CITY})
COMMUNE_KINDS = frozenset({UnitKind.COMMUNE, UnitKind.WARD, UnitKind.SPECIAL_ZONE})


class AdministrativeUnit(models.Model):
    code = models.CharField(_("statistics code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    identifier_code = models.CharField(
        _("identifier code for document exchange"),
        max_length=30,
        blank=True,
        help_text=_("Mã định danh (Circular 10/2016/TT-BTTTT); used in dossier codes."),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    morning_start = models.TimeField(_("morning session starts"), default=time(7, 30))
    morning_end = models.TimeField(_("morning session ends"), default=time(11, 30))
    afternoon_start = models.TimeField(_("afternoon session starts"), default=time(13, 30))
    afternoon_end = models.TimeField(_("afternoon session ends"), default=time(17, 0))
    receipt_cutoff = models.TimeField(
        _("receipt cut-off"),
        default=time(15, 0),
        null=True,
        blank=True,
        help_text=_("Dossiers received after this time count from the next working day."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_province(self) -> bool:
        return self.kind in PROVINCE_KINDS

    @property
    def is_commune(self) -> bool:
        return self.kind in COMMUNE_KINDS

    @property
    def province(self) -> "AdministrativeUnit":
        return self if self.is_province or self.parent is None else self.parent

    @property
    def committee_name(self) -> str:
        """Ủy ban nhân dân phường Phú Thuỷ — the name the forms print."""
        return f"Ủy ban nhân dân {self.name[:1].lower()}{self.name[1:]}"

    @property
    def sessions(self) -> tuple[tuple[time, time], tuple[time, time]]:
        return (
            (self.morning_start, self.morning_end),
            (self.afternoon_start, self.afternoon_end),
        )

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.kind in PROVINCE_KINDS and self.parent_id:
            errors["parent"] = _("A province has no parent unit.")
        if self.kind in COMMUNE_KINDS:
            if self.parent is None:
                errors["parent"] = _("A commune-level unit must belong to a province.")
            elif not self.parent.is_province:
                errors["parent"] = _("The parent of a commune-level unit must be a province.")
        order = [self.morning_start, self.morning_end, self.afternoon_start, self.afternoon_end]
        if any(t is None for t in order) or not (order[0] < order[1] <= order[2] < order[3]):
            errors["afternoon_end"] = _(
                "Office hours must run in order: morning start < morning end ≤ "
                "afternoon start < afternoon end."
            )
        elif self.receipt_cutoff and not (order[0] < self.receipt_cutoff <= order[3]):
            errors["receipt_cutoff"] = _("The receipt cut-off must fall within office hours.")
        if errors:
            raise ValidationError(errors)


class NeighbourhoodKind(models.TextChoices):
    QUARTER = "khu_pho", _("neighbourhood (khu phố)")
    RESIDENTIAL_GROUP = "to_dan_pho", _("residential group (tổ dân phố)")
    VILLAGE = "thon", _("village (thôn)")
    HAMLET = "ap", _("hamlet (ấp)")
    MOUNTAIN_VILLAGE = "ban", _("mountain village (bản)")


class Neighbourhood(models.Model):
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("administrative unit"),
        on_delete=models.PROTECT,
        related_name="neighbourhoods",
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=NeighbourhoodKind.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("neighbourhood")
        verbose_name_plural = _("neighbourhoods")
        ordering = ["unit", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="neighbourhood_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.unit_id and not self.unit.is_commune:
            raise ValidationError(
                {"unit": _("Neighbourhoods belong to a commune-level unit, not a province.")}
            )
