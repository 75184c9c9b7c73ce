from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.core.params import supported_date

from .models import RefusalReason


class OriginalForm(forms.Form):
    title = forms.CharField(label=_("Original document (title)"), max_length=300)
    issuer = forms.CharField(label=_("Issued by"), max_length=300)
    reference = forms.CharField(label=_("Number and symbol"), max_length=100, required=False)
    issued_on = forms.DateField(
        label=_("Date of the original"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[supported_date],
    )
    pages = forms.IntegerField(label=_("Pages of the original"), min_value=1, max_value=999)
    copies = forms.IntegerField(label=_("Number of copies"), min_value=1, max_value=50, initial=1)


class RefuseForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Legal reason"), choices=RefusalReason.choices, widget=forms.RadioSelect
    )
    detail = forms.CharField(
        label=_("Details (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class VerifyForm(forms.Form):
    so = forms.CharField(label=_("Certification number (e.g. 12/2026)"), max_length=20)
    ma = forms.CharField(label=_("Verification code"), max_length=12)
    file = forms.FileField(label=_("The PDF you received (optional)"), required=False)


class AnnotationForm(forms.Form):
    text = forms.CharField(label=_("Annotation"), widget=forms.Textarea(attrs={"rows": 2}))
