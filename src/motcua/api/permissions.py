"""The permission table (core/permissions.py) for DRF: a viewset names its rows in
``motcua_permission`` (by DRF action, e.g. ``{"list": "dossier.desk"}``; an action method may
carry its own, by the URL's ``name``), and this class checks them for every request."""

from typing import Any

from django.utils.translation import gettext_lazy
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from motcua.core.permissions import can, rule_for


def row_of(view: Any) -> str | None:
    handler = getattr(view, getattr(view, "action", "") or "", None)
    table = getattr(handler, "motcua_permission", None) or getattr(view, "motcua_permission", {})
    if isinstance(table, str):
        return table
    for key in (view.kwargs.get("name"), getattr(view, "action", None)):
        if key and key in table:
            return str(table[key])
    return None


def _decides_on_object(view: Any) -> bool:
    return getattr(view, "action", None) in getattr(view, "decides_on_object", ())


class TablePermission(BasePermission):
    message = gettext_lazy("You are not allowed to do this here.")

    def has_permission(self, request: Request, view: Any) -> bool:
        row = row_of(view)
        if row is None:  # an action name the view answers with 404 itself
            return _decides_on_object(view)
        rule = rule_for(row)
        if rule.public:
            return True
        if not (request.user and request.user.is_authenticated):
            return False
        # An applicant's row, and an action that checks the object itself, are decided on
        # the object (whose applicant, whose assignee); the refusal then says why.
        return rule.applicant or _decides_on_object(view) or can(request.user, row)

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        if _decides_on_object(view):
            return True  # the action checks the object itself (assignee, past handler...)
        row = row_of(view)
        unit = getattr(obj, "unit", None) or getattr(obj, "province", None)
        return row is not None and can(request.user, row, unit)
