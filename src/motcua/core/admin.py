from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models
from django.utils.translation import gettext_lazy as _

from .admin_audit import AuditedAdmin
from .models import (
    AdministrativeUnit,
    AuditEvent,
    CalendarOverride,
    Neighbourhood,
    OutboxMessage,
    RoleAssignment,
    User,
)

admin.site.site_header = _("MotCua administration")
admin.site.site_title = _("MotCua")
admin.site.index_title = _("System administration")


class NeighbourhoodInline(admin.TabularInline):
    model = Neighbourhood
    extra = 0


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(AuditedAdmin):
    list_display = ["code", "name", "kind", "parent", "identifier_code", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name", "identifier_code"]
    autocomplete_fields = ["parent"]
    inlines = [NeighbourhoodInline]
    formfield_overrides = {
        models.URLField: {"form_class": forms.URLField, "assume_scheme": "https"}
    }
    fieldsets = [
        (None, {"fields": ["code", "name", "kind", "parent", "identifier_code", "is_active"]}),
        (_("Contact"), {"fields": ["address", "phone", "email", "website"]}),
        (
            _("Office hours"),
            {
                "fields": [
                    ("morning_start", "morning_end"),
                    ("afternoon_start", "afternoon_end"),
                    "receipt_cutoff",
                ]
            },
        ),
    ]


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(User)
class UserAdmin(BaseUserAdmin, AuditedAdmin):
    list_display = ["username", "full_name", "email", "is_staff", "is_citizen", "is_active"]
    search_fields = ["username", "full_name", "email", "personal_id", "phone"]
    inlines = [RoleAssignmentInline]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (
            _("Personal information"),
            {"fields": ["full_name", "personal_id", "birth_date", "sex", "email", "phone"]},
        ),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_citizen", "is_superuser", "groups"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(AuditedAdmin):
    list_display = ["start_date", "end_date", "kind", "unit", "reason"]
    list_filter = ["kind"]
    autocomplete_fields = ["unit"]
    date_hierarchy = "start_date"


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "chain", "seq", "actor_label", "action", "object_repr"]
    list_filter = ["action"]
    search_fields = ["object_repr", "object_id", "actor_label", "action"]
    date_hierarchy = "at"

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Read-only: staff retry failed messages from the desk's message page."""

    list_display = ["created_at", "channel", "recipient", "kind", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel", "kind", "unit"]
    search_fields = ["recipient", "subject", "about"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
