"""Staff accounts and the roles they hold per unit."""

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import AdministrativeUnit, RoleAssignment, User
from . import audit

USER_AUDIT_FIELDS = ["username", "full_name", "email", "phone", "is_staff", "is_active"]


@transaction.atomic
def create_staff_user(
    *,
    actor: User | None,
    unit: AdministrativeUnit,
    username: str,
    full_name: str,
    password: str,
    email: str = "",
    phone: str = "",
) -> User:
    user = User(username=username, full_name=full_name, email=email, phone=phone, is_staff=True)
    user.set_password(password)
    audit.save_recorded(
        user, actor=actor, action="user.create", unit=unit, fields=USER_AUDIT_FIELDS
    )
    return user


@transaction.atomic
def assign_role(
    *,
    actor: User | None,
    user: User,
    unit: AdministrativeUnit,
    role: str,
    position: str = "",
    reason: str = "",
) -> RoleAssignment:
    assignment = RoleAssignment(user=user, unit=unit, role=role, position=position)
    audit.save_recorded(
        assignment,
        actor=actor,
        action="role.assign",
        unit=unit,
        reason=reason or _("Role assigned"),
        fields=["user", "unit", "role", "position", "is_active"],
    )
    return assignment
