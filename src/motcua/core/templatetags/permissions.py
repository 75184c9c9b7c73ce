"""``{% can "dossier.issue_apology" dossier.unit assignee=dossier.current_user_id as ok %}``:
templates show a button only where the permission table (core/permissions.py) allows it."""

from typing import Any

from django import template

from motcua.core.permissions import can as _can

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context: Any, action: str, unit: Any = None, **who: Any) -> bool:
    return _can(context["request"].user, action, unit, **who)
