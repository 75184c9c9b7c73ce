"""Dossiers in the admin are for looking up: every change goes through the services."""

from django.contrib import admin

from motcua.core.admin_audit import AuditedAdmin

from .models import (
    Apology,
    Dossier,
    DossierEvent,
    DossierPaper,
    DossierStep,
    FormSettings,
    FormText,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


class PaperInline(ReadOnlyInline):
    model = DossierPaper
    fields = ["name", "originals", "copies", "scan", "scan_sha256"]


class StepInline(ReadOnlyInline):
    model = DossierStep
    fields = [
        "order",
        "name",
        "role",
        "position",
        "assignee",
        "due_at",
        "started_at",
        "finished_at",
        "timeliness",
    ]


class EventInline(ReadOnlyInline):
    model = DossierEvent
    fields = ["at", "kind", "actor", "to_user", "to_unit", "timeliness", "note"]


class ApologyInline(ReadOnlyInline):
    model = Apology
    fields = ["issued_at", "reason", "original_due_at", "new_due_at", "signed_by", "timely"]


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "applicant_name",
        "procedure",
        "channel",
        "status",
        "received_at",
        "due_at",
        "timeliness",
    ]
    list_filter = ["unit", "status", "channel", "timeliness"]
    search_fields = ["code", "applicant_name", "applicant_personal_id", "applicant_phone"]
    date_hierarchy = "received_at"
    inlines = [PaperInline, StepInline, EventInline, ApologyInline]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(FormSettings)
class FormSettingsAdmin(AuditedAdmin):
    list_display = ["unit", "form_set"]
    autocomplete_fields = ["unit"]


@admin.register(FormText)
class FormTextAdmin(AuditedAdmin):
    list_display = ["unit", "form_set", "form", "key", "text"]
    list_filter = ["form_set", "form"]
    autocomplete_fields = ["unit"]
