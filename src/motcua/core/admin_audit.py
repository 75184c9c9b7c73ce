"""Django admin changes go into the audit log like every other state change."""

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from .models import AdministrativeUnit
from .services import audit


def unit_of(obj: models.Model) -> AdministrativeUnit | None:
    if isinstance(obj, AdministrativeUnit):
        return obj
    unit = getattr(obj, "unit", None)
    if unit is None and getattr(obj, "province_id", None):
        unit = obj.province  # type: ignore[attr-defined]
    return unit if isinstance(unit, AdministrativeUnit) else None


class AuditedAdmin(admin.ModelAdmin):
    """Records before -> after for every save and delete made through the admin."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = None
        if change:
            before = audit.snapshot(type(obj).objects.get(pk=obj.pk))
        super().save_model(request, obj, form, change)
        audit.record(
            actor=request.user,
            action=f"{obj._meta.model_name}.{'update' if change else 'create'}",
            unit=unit_of(obj),
            obj=obj,
            before=before,
            after=audit.snapshot(obj),
            reason="admin",
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audit.record(
            actor=request.user,
            action=f"{obj._meta.model_name}.delete",
            unit=unit_of(obj),
            obj=obj,
            before=audit.snapshot(obj),
            reason="admin",
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            self.delete_model(request, obj)
