import json

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core.admin_audit import AuditedAdmin
from motcua.core.importing import ImportFailed, RowError
from motcua.core.services import audit

from .forms import CatalogueImportForm
from .models import FeeOption, Field, Procedure, RequiredPaper, WorkflowStep
from .services.exchange import export_catalogue, import_catalogue, procedure_data
from .services.workflow import workflow_errors
from .services.xlsx import catalogue_from_xlsx, catalogue_to_xlsx


def _json_catalogue(content: bytes):  # type: ignore[no-untyped-def]
    try:
        return json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ImportFailed(
            [RowError("JSON", _("The file is not valid JSON: %(e)s") % {"e": error})]
        ) from error


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
            (
                f.cleaned_data["role"],
                f.cleaned_data.get("position", ""),
                f.cleaned_data["budget_days"],
            )
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
    list_display = [
        "code",
        "name",
        "field",
        "processing_days",
        "online_level_display",
        "published",
        "unconfirmed_display",
    ]
    readonly_fields = ["online_level_display"]
    list_filter = ["province", "field", "online_level", "published"]
    search_fields = ["code", "name"]
    inlines = [PaperInline, FeeInline, StepInline]
    actions = ["export_json", "export_xlsx"]
    change_list_template = "procedures/admin/change_list.html"

    def get_urls(self):  # type: ignore[no-untyped-def]
        extra = [
            path(
                "nhap/",
                self.admin_site.admin_view(self.import_view),
                name="procedures_procedure_import",
            )
        ]
        return extra + super().get_urls()

    def import_view(self, request):  # type: ignore[no-untyped-def]
        """Upload a JSON or XLSX catalogue; every bad row is listed and nothing is saved."""
        if not self.has_add_permission(request):
            return redirect("admin:index")
        form = CatalogueImportForm(request.POST or None, request.FILES or None)
        errors: list[RowError] = []
        if request.method == "POST" and form.is_valid():
            province, upload = form.cleaned_data["province"], form.cleaned_data["file"]
            try:
                if upload.name.lower().endswith(".xlsx"):
                    data = catalogue_from_xlsx(upload.read(), province.code)
                else:
                    data = _json_catalogue(upload.read())
                result = import_catalogue(data, province=province, actor=request.user)
            except ImportFailed as failure:
                errors = failure.errors
            else:
                self.message_user(
                    request,
                    _(
                        "Catalogue imported: %(created)d new, %(updated)d updated, "
                        "%(unchanged)d unchanged."
                    )
                    % result.__dict__,
                )
                return redirect("admin:procedures_procedure_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "errors": errors,
            "title": _("Import a procedure catalogue"),
        }
        return render(request, "procedures/admin/import.html", context)

    @admin.display(description=gettext_lazy("online service level"), ordering="online_level")
    def online_level_display(self, obj: Procedure) -> str:
        return _("%(level)s (legacy level %(n)d)") % {
            "level": obj.get_online_level_display(),
            "n": obj.legacy_level,
        }

    @admin.display(description=gettext_lazy("not confirmed"))
    def unconfirmed_display(self, obj: Procedure) -> str:
        return ", ".join(obj.unconfirmed or []) or "—"

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
