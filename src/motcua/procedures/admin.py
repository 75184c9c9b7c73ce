import json

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core.admin_audit import AuditedAdmin
from motcua.core.services import audit

from .models import FeeOption, Field, Procedure, RequiredPaper, WorkflowStep
from .services.exchange import export_catalogue, procedure_data
from .services.workflow import workflow_errors
from .services.xlsx import catalogue_to_xlsx


class FeeInline(admin.TabularInline):
    model = FeeOption
    extra = 0


class PaperInline(admin.TabularInline):
    model = RequiredPaper
    extra = 0


class StepFormSet(BaseInlineFormSet):
    """The step budgets must add up to the processing time typed in the same form."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        steps = [
            (f.cleaned_data["role"], f.cleaned_data.get("position", ""), f.cleaned_data["budget_days"])
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        days = self.instance.processing_days
        if days is not None:
            problems = workflow_errors(days, steps)
            if problems:
                raise ValidationError(problems)


class StepInline(admin.TabularInline):
    model = WorkflowStep
    formset = StepFormSet
    extra = 0


@admin.register(Field)
class FieldAdmin(AuditedAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Procedure)
class ProcedureAdmin(AuditedAdmin):
    list_display = ["code", "name", "field", "processing_days", "online_level", "published"]
    list_filter = ["province", "field", "online_level", "published"]
    search_fields = ["code", "name"]
    inlines = [PaperInline, FeeInline, StepInline]
    actions = ["export_json", "export_xlsx"]

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        admin.ModelAdmin.save_model(self, request, obj, form, change)  # audited in save_related

    def save_related(self, request, form, formsets, change):  # type: ignore[no-untyped-def]
        # The procedure with its papers, fees and steps is one thing to the officer: audit it whole.
        before = procedure_data(Procedure.objects.get(pk=form.instance.pk)) if change else None
        super().save_related(request, form, formsets, change)
        audit.record(
            actor=request.user,
            action="procedure.edit",
            unit=form.instance.province,
            obj=form.instance,
            before=before,
            after=procedure_data(form.instance),
            reason="admin",
        )

    def _catalogue(self, request, queryset):  # type: ignore[no-untyped-def]
        provinces = {p.province for p in queryset}
        if len(provinces) != 1:
            self.message_user(request, _("Choose procedures of one province."), messages.ERROR)
            return None
        province = provinces.pop()
        data = export_catalogue(province)
        chosen = set(queryset.values_list("code", flat=True))
        data["procedures"] = [p for p in data["procedures"] if p["code"] in chosen]
        return province, data

    @admin.action(description=gettext_lazy("Export the chosen procedures (JSON)"))
    def export_json(self, request, queryset):  # type: ignore[no-untyped-def]
        if (result := self._catalogue(request, queryset)) is None:
            return None
        province, data = result
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
        )
        response["Content-Disposition"] = f'attachment; filename="thu-tuc-{province.code}.json"'
        return response

    @admin.action(description=gettext_lazy("Export the chosen procedures (Excel)"))
    def export_xlsx(self, request, queryset):  # type: ignore[no-untyped-def]
        if (result := self._catalogue(request, queryset)) is None:
            return None
        province, data = result
        response = HttpResponse(
            catalogue_to_xlsx(data),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="thu-tuc-{province.code}.xlsx"'
        return response
