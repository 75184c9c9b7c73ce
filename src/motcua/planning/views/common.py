"""What every planning page needs: the user's unit and its staff."""

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from motcua.core.models import AdministrativeUnit, Role, User
from motcua.core.models.units import COMMUNE_KINDS
from motcua.core.selectors import active_assignments


def unit_of(request: HttpRequest) -> AdministrativeUnit:
    """The commune the user works in (the first one when several)."""
    held = active_assignments(request.user).filter(unit__kind__in=COMMUNE_KINDS)  # type: ignore[arg-type]
    found = held.select_related("unit").order_by("unit__name").first()
    if found is None:
        raise Http404
    return found.unit


def staff_of(unit: AdministrativeUnit) -> QuerySet[User]:
    """The unit's officers (a system administrator is not one of them)."""
    roles = [role for role in Role.values if role != Role.ADMINISTRATOR]
    return (
        User.objects.filter(
            role_assignments__unit=unit,
            role_assignments__is_active=True,
            role_assignments__role__in=roles,
        )
        .distinct()
        .order_by("full_name")
    )
