from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.core.models import AdministrativeUnit, User
from motcua.core.params import supported_date

from .models import Confidentiality, DocumentType, ReceivedVia, Urgency


class IncomingForm(forms.Form):
    issuer = forms.CharField(label=_("Issuing body"), max_length=300)
    reference = forms.CharField(label=_("Number and symbol"), max_length=100)
    document_date = forms.DateField(
        label=_("Document date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[supported_date],
    )
    type = forms.ModelChoiceField(label=_("Type"), queryset=DocumentType.objects.all())
    abstract = forms.CharField(label=_("Abstract"), widget=forms.Textarea(attrs={"rows": 2}))
    received_via = forms.ChoiceField(label=_("Received"), choices=ReceivedVia.choices)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    confidentiality = forms.ChoiceField(label=_("Confidentiality"), choices=Confidentiality.choices)
    pages = forms.IntegerField(label=_("Pages"), min_value=1, max_value=9999, initial=1)
    confirm_duplicate = forms.BooleanField(label=_("Register it anyway"), required=False)


class DirectionForm(forms.Form):
    lead = forms.ModelChoiceField(label=_("Lead handler"), queryset=User.objects.none())
    supporting = forms.ModelMultipleChoiceField(
        label=_("Supporting handlers"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    deadline = forms.DateTimeField(
        label=_("Deadline"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        validators=[supported_date],
    )
    note = forms.CharField(
        label=_("Direction"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, staff=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = staff  # type: ignore[attr-defined]
        self.fields["supporting"].queryset = staff  # type: ignore[attr-defined]


class ProgressForm(forms.Form):
    note = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 2}))
    done = forms.BooleanField(label=_("Handling finished"), required=False)


class _PdfFilesInput(forms.FileInput):
    allow_multiple_selected = True


class PdfFilesField(forms.FileField):
    """Several files in one input; cleaned to a list (empty when none was chosen)."""

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        kwargs.setdefault("widget", _PdfFilesInput(attrs={"accept": "application/pdf,.pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):  # type: ignore[no-untyped-def]
        uploads = data if isinstance(data, (list, tuple)) else [data]
        cleaned = [super(PdfFilesField, self).clean(upload, initial) for upload in uploads]
        return [upload for upload in cleaned if upload]


class OutgoingForm(forms.Form):
    type = forms.ModelChoiceField(label=_("Type"), queryset=DocumentType.objects.all())
    abstract = forms.CharField(
        label=_("Abstract"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A công văn's abstract starts with “V/v”."),
    )
    drafting_office = forms.CharField(
        label=_("Drafting office (symbol)"), initial="VP", max_length=20
    )
    confidentiality = forms.ChoiceField(label=_("Confidentiality"), choices=Confidentiality.choices)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    recipient_units = forms.ModelMultipleChoiceField(
        label=_("Recipients in MotCua"),
        queryset=AdministrativeUnit.objects.none(),
        required=False,
    )
    external_recipients = forms.CharField(
        label=_("Other recipients"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    file = forms.FileField(label=_("Document (PDF)"), required=False)
    public = forms.BooleanField(
        label=_("Publish on the unit's website once issued"),
        required=False,
        help_text=_("Legal and administrative documents for the public; never secret ones."),
    )
    attachments = PdfFilesField(
        label=_("Attachments (PDF)"),
        required=False,
        help_text=_(
            "Documents issued with this one (văn bản kèm theo): the organisation signs each "
            "of them top right with the number and time at issue."
        ),
    )

    def __init__(self, *args, units=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["recipient_units"].queryset = units  # type: ignore[attr-defined]
