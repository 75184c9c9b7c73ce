from django.contrib import admin

from motcua.core.admin_audit import AuditedAdmin

from .models import (
    Complaint,
    DeskInspection,
    Directive,
    Engagement,
    Initiative,
    Inspection,
    PropagandaActivity,
    RemediationTask,
    WorkPlan,
)


@admin.register(WorkPlan)
class WorkPlanAdmin(AuditedAdmin):
    list_display = ["officer", "place", "starts_at", "status", "unit"]
    list_filter = ["status", "unit"]


@admin.register(Engagement)
class EngagementAdmin(AuditedAdmin):
    list_display = ["starts_at", "content", "host", "unit", "cancelled"]
    list_filter = ["unit", "cancelled"]


@admin.register(Inspection)
class InspectionAdmin(AuditedAdmin):
    list_display = ["title", "unit", "starts_on", "ends_on", "closed_at"]


@admin.register(RemediationTask)
class RemediationTaskAdmin(AuditedAdmin):
    list_display = ["title", "owner", "deadline", "status", "unit"]
    list_filter = ["status", "unit"]


@admin.register(Directive)
class DirectiveAdmin(AuditedAdmin):
    list_display = ["title", "reference", "issued_on", "unit"]


@admin.register(Initiative)
class InitiativeAdmin(AuditedAdmin):
    list_display = ["title", "status", "submitted_at", "unit"]


@admin.register(PropagandaActivity)
class PropagandaActivityAdmin(AuditedAdmin):
    list_display = ["title", "kind", "held_on", "unit"]


@admin.register(DeskInspection)
class DeskInspectionAdmin(AuditedAdmin):
    list_display = ["officer", "inspected_on", "unit"]


@admin.register(Complaint)
class ComplaintAdmin(AuditedAdmin):
    list_display = ["officer", "received_on", "substantiated", "unit"]
