from django.contrib import admin

from motcua.core.admin_audit import AuditedAdmin

from .models import DocumentType


@admin.register(DocumentType)
class DocumentTypeAdmin(AuditedAdmin):
    list_display = ["order", "name", "abbreviation", "code"]
    list_display_links = ["name"]
