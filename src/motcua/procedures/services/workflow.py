"""A procedure's workflow template: ordered steps whose budgets add up to the processing time."""

from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import gettext as _

from motcua.core.models import Role
from motcua.core.models.users import ROLE_POSITIONS

STEP_ROLES = {Role.DESK_OFFICER, Role.SPECIALIST, Role.LEADER, Role.CLERK}


def format_days(value: Decimal) -> str:
    """2.50 -> '2.5', 10.0 -> '10'."""
    return format(Decimal(value).normalize(), "f")


def workflow_errors(
    processing_days: Decimal, steps: Iterable[tuple[str, str, Decimal]]
) -> list[str]:
    """Problems with (role, position, budget) steps for a procedure; empty when valid."""
    steps = list(steps)
    errors: list[str] = []
    if not steps:
        errors.append(_("The workflow needs at least one step."))
    for number, (role, position, _budget) in enumerate(steps, start=1):
        if role not in STEP_ROLES:
            errors.append(_("Step %(n)d: this role does not handle dossiers.") % {"n": number})
        elif position and position not in ROLE_POSITIONS.get(role, ()):
            errors.append(_("Step %(n)d: the position does not fit the role.") % {"n": number})
        elif role == Role.SPECIALIST and not position:
            errors.append(_("Step %(n)d: name the specialist's position.") % {"n": number})
    total = sum((Decimal(budget) for _r, _p, budget in steps), Decimal(0))
    if steps and total != Decimal(processing_days):
        errors.append(
            _(
                "The step budgets add up to %(total)s working days but the processing time "
                "is %(days)s."
            )
            % {"total": format_days(total), "days": format_days(Decimal(processing_days))}
        )
    return errors
