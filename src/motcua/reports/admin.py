from django.contrib import admin

from motcua.core.admin_audit import AuditedAdmin

from .models import IndexGroup, IndexIndicator, IndexVersion, ReportDelivery


class GroupInline(admin.TabularInline):
    model = IndexGroup
    extra = 0
    show_change_link = True


@admin.register(IndexVersion)
class IndexVersionAdmin(AuditedAdmin):
    """An edition of the service index; copy it into a new edition when the weights change."""

    list_display = ["name", "valid_from", "legal_basis"]
    inlines = [GroupInline]


class IndicatorInline(admin.TabularInline):
    model = IndexIndicator
    extra = 0


@admin.register(IndexGroup)
class IndexGroupAdmin(AuditedAdmin):
    list_display = ["name", "version", "max_points", "order"]
    list_filter = ["version"]
    inlines = [IndicatorInline]


@admin.register(ReportDelivery)
class ReportDeliveryAdmin(admin.ModelAdmin):
    list_display = ["unit", "period", "created_at"]
    list_filter = ["period"]
    readonly_fields = ["unit", "period", "docx", "pdf", "recipients", "created_at", "created_by"]

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def, override]
        return False


from .assessment.models import CriteriaSet, Criterion  # noqa: E402


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ["order", "code", "parent", "name", "max_points", "scoring", "figure", "threshold",
              "evidence_required"]  # fmt: skip


@admin.register(CriteriaSet)
class CriteriaSetAdmin(AuditedAdmin):
    """The reform criteria of a province for a year: groups, criteria and sub-criteria."""

    list_display = ["name", "province", "year", "open_for_scoring"]
    list_filter = ["year", "province"]
    inlines = [CriterionInline]
