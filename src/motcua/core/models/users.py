"""Users (staff and citizens) and the roles they hold per administrative unit."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..identity import check_personal_id_matches, validate_personal_id
from .units import AdministrativeUnit


class Sex(models.TextChoices):
    MALE = "male", _("male")
    FEMALE = "female", _("female")


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    personal_id = models.CharField(
        _("personal identification number"),
        max_length=12,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_personal_id],
    )
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, blank=True)
    is_citizen = models.BooleanField(_("citizen account"), default=False)
    email_verified_at = models.DateTimeField(_("e-mail verified at"), null=True, blank=True)
    phone_verified_at = models.DateTimeField(_("phone verified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name()

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name() or self.username

    def clean(self) -> None:
        super().clean()
        self.personal_id = self.personal_id or None  # empty means "none", not a duplicate ""
        if self.personal_id:
            errors = check_personal_id_matches(
                self.personal_id, birth_date=self.birth_date, sex=self.sex or None
            )
            errors.pop("personal_id", None)  # the field validator already reports it
            if errors:
                raise ValidationError(errors)


class Role(models.TextChoices):
    LEADER = "leader", _("leader")
    CLERK = "clerk", _("office clerk")
    DESK_OFFICER = "desk_officer", _("desk officer")
    SPECIALIST = "specialist", _("specialist officer")
    PROVINCE_VIEWER = "province_viewer", _("province viewer")
    WEBSITE_EDITOR = "website_editor", _("website editor")
    ADMINISTRATOR = "administrator", _("administrator")


class Position(models.TextChoices):
    CHAIRMAN = "chairman", _("chairman")
    VICE_CHAIRMAN = "vice_chairman", _("vice-chairman")
    JUSTICE_CIVIL_STATUS = "justice_civil_status", _("justice and civil status")
    CULTURE_SOCIETY = "culture_society", _("culture and society")
    LAND_CONSTRUCTION = "land_construction", _("land and construction")
    FINANCE_ACCOUNTING = "finance_accounting", _("finance and accounting")
    OFFICE_STATISTICS = "office_statistics", _("office and statistics")


ROLE_POSITIONS: dict[str, frozenset[str]] = {
    Role.LEADER: frozenset({Position.CHAIRMAN, Position.VICE_CHAIRMAN}),
    Role.SPECIALIST: frozenset(
        {
            Position.JUSTICE_CIVIL_STATUS,
            Position.CULTURE_SOCIETY,
            Position.LAND_CONSTRUCTION,
            Position.FINANCE_ACCOUNTING,
            Position.OFFICE_STATISTICS,
        }
    ),
}


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.PROTECT, related_name="role_assignments"
    )
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("administrative unit"),
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    position = models.CharField(_("position"), max_length=30, choices=Position.choices, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["unit", "role", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "role", "position"], name="role_assignment_unique"
            ),
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(position="chairman", is_active=True),
                name="one_active_chairman_per_unit",
            ),
        ]

    def __str__(self) -> str:
        label = self.get_position_display() if self.position else self.get_role_display()
        return f"{self.user} — {label} — {self.unit}"

    def clean(self) -> None:
        allowed = ROLE_POSITIONS.get(self.role, frozenset())
        if allowed and self.position not in allowed:
            raise ValidationError({"position": _("Choose a position that fits this role.")})
        if not allowed and self.position:
            raise ValidationError({"position": _("This role takes no position.")})
        if not self.unit_id:
            return
        if self.role == Role.PROVINCE_VIEWER and not self.unit.is_province:
            raise ValidationError({"unit": _("A province viewer is assigned to a province.")})
        if self.role not in (Role.PROVINCE_VIEWER, Role.ADMINISTRATOR) and not self.unit.is_commune:
            raise ValidationError({"unit": _("This role is held in a commune-level unit.")})
