"""What every planning page needs: the commune the user works in."""

from typing import Any

from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from motcua.core.models import AdministrativeUnit
from motcua.core.models.units import COMMUNE_KINDS
from motcua.core.permissions import require
from motcua.core.selectors import active_assignments


def unit_of(request: HttpRequest) -> AdministrativeUnit:
    """The commune the user works in (the first one when several)."""
    held = active_assignments(request.user).filter(unit__kind__in=COMMUNE_KINDS)  # type: ignore[arg-type]
    found = held.select_related("unit").order_by("unit__name").first()
    if found is None:
        raise Http404
    return found.unit


def load(
    request: HttpRequest, found: QuerySet[Any], pk: int, action: str, people: str | None = None
) -> Any:
    """The object among those the user sees, refused (403) unless the permission row allows
    ``action`` on it; ``people`` names the field of its assignee(s) for assignee-only roles."""
    item: Model = get_object_or_404(found, pk=pk)
    assignee = getattr(item, people) if people else None
    if assignee is not None and hasattr(assignee, "all"):
        assignee = list(assignee.all())
    require(request.user, action, item.unit, assignee=assignee)  # type: ignore[attr-defined]
    return item
