from django.contrib import admin

from motcua.core.admin_audit import AuditedAdmin

from .models import DocumentType, Mailbox


@admin.register(DocumentType)
class DocumentTypeAdmin(AuditedAdmin):
    list_display = ["order", "name", "abbreviation", "code"]
    list_display_links = ["name"]


@admin.register(Mailbox)
class MailboxAdmin(AuditedAdmin):
    list_display = ["unit", "username", "host", "port", "is_active", "last_polled_at", "last_error"]
    readonly_fields = ["last_polled_at", "last_error"]
