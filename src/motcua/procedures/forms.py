from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.core.models import AdministrativeUnit, UnitKind


class CatalogueImportForm(forms.Form):
    province = forms.ModelChoiceField(
        label=_("province"),
        queryset=AdministrativeUnit.objects.filter(kind__in=[UnitKind.PROVINCE, UnitKind.CITY]),
    )
    file = forms.FileField(
        label=_("catalogue file"), help_text=_("JSON or Excel (.xlsx) in the MotCua format.")
    )

    def clean_file(self):  # type: ignore[no-untyped-def]
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".json", ".xlsx")):
            raise forms.ValidationError(_("Choose a .json or .xlsx file."))
        if upload.size > 20 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload
