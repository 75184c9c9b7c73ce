"""What every planning page needs: the commune the user works in."""

from django.http import Http404, HttpRequest

from motcua.core.models import AdministrativeUnit
from motcua.core.models.units import COMMUNE_KINDS
from motcua.core.selectors import active_assignments


def unit_of(request: HttpRequest) -> AdministrativeUnit:
    """The commune the user works in (the first one when several)."""
    held = active_assignments(request.user).filter(unit__kind__in=COMMUNE_KINDS)  # type: ignore[arg-type]
    found = held.select_related("unit").order_by("unit__name").first()
    if found is None:
        raise Http404
    return found.unit
