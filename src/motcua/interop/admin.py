from django.contrib import admin

from .models import InboundDossier, StatusMapping, SyncMessage


@admin.register(StatusMapping)
class StatusMappingAdmin(admin.ModelAdmin):
    """The crosswalk to the national status list: a province corrects it here, without code."""

    list_display = ["key", "code", "send", "note", "source"]
    list_editable = ["code", "send"]
    search_fields = ["key", "note"]


@admin.register(SyncMessage)
class SyncMessageAdmin(admin.ModelAdmin):
    list_display = ["dossier", "system", "seq", "action", "status_code", "event_at", "outcome"]
    list_filter = ["system", "outcome", "status_code"]
    search_fields = ["dossier__code", "message_id"]
    readonly_fields = [f.name for f in SyncMessage._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(InboundDossier)
class InboundDossierAdmin(admin.ModelAdmin):
    list_display = ["national_code", "system", "unit", "dossier", "confirmed", "received_at"]
    list_filter = ["system", "confirmed"]
    search_fields = ["national_code", "dossier__code"]
    readonly_fields = [f.name for f in InboundDossier._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False
