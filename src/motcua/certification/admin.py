from django.contrib import admin
from django.db import models

from motcua.core.admin_audit import AuditedAdmin

from .models import CertificationSettings, CopyFeeRule, RegisterEntry, SigningKey


@admin.register(CopyFeeRule)
class CopyFeeRuleAdmin(AuditedAdmin):
    list_display = [
        "valid_from",
        "first_pages",
        "first_page_fee",
        "later_page_fee",
        "cap_per_copy",
        "legal_basis",
    ]


@admin.register(SigningKey)
class SigningKeyAdmin(AuditedAdmin):
    list_display = ["unit", "kind", "user", "p12_path", "password_env", "is_active"]
    list_filter = ["kind", "is_active"]


@admin.register(CertificationSettings)
class CertificationSettingsAdmin(AuditedAdmin):
    list_display = ["unit", "statement", "timestamp_url", "entries_per_volume"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(RegisterEntry)
class RegisterEntryAdmin(admin.ModelAdmin):
    """Read-only: the register is written by certifying and corrected by annotations."""

    list_display = ["number", "year", "volume", "unit", "document", "requester", "entered_at"]
    list_filter = ["unit", "year"]
    search_fields = ["document", "requester"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
