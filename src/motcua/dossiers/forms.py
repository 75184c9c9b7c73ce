"""Desk forms: they validate input and keep what the officer typed; services decide."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.core.identity import validate_personal_id
from motcua.core.params import supported_date
from motcua.procedures.models import Procedure
from motcua.procedures.selectors import parts_of

from .models import ApplicantKind, Channel, EventKind, ReturnMethod

# What the desk officer reads under a field that was refused (kept in Vietnamese in our own
# catalogue: Django's defaults are terse or English). The values typed stay in the form.
MAX_SETS, MAX_PIECES = 99, 999  # far above any real dossier, far below the column's 32767
TOO_LONG = _("At most %(limit_value)d characters; you entered %(show_value)d.")
WHOLE_NUMBER = _("Enter a whole number.")
NAME_MESSAGES = {"required": _("Enter the applicant's full name."), "max_length": TOO_LONG}
EMAIL_MESSAGES = {
    "invalid": _("Enter a valid e-mail address, e.g. ten@example.vn."),
    "max_length": TOO_LONG,
}
SETS_MESSAGES = {
    "required": _("Enter the number of sets (at least 1)."),
    "invalid": WHOLE_NUMBER,
    "min_value": _("At least one set is handed in."),
    "max_value": _("At most %(limit_value)s sets."),
}
PIECES_MESSAGES = {
    "required": _("Enter how many (0 when none)."),
    "invalid": WHOLE_NUMBER,
    "min_value": _("Cannot be negative."),
    "max_value": _("At most %(limit_value)s."),
}
SCAN_MESSAGES = {
    "empty": _("The file is empty (0 bytes). Choose the scan again."),
    "invalid": _("No file was sent. Choose the scan again."),
    "max_length": _("The file name is too long (at most %(max)d characters)."),
}


def _pieces(label: str, initial: int) -> forms.IntegerField:
    """How many originals or copies of a paper were handed in (bounded, Vietnamese errors)."""
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=MAX_PIECES,
        initial=initial,
        error_messages=PIECES_MESSAGES,
    )


class KnownChoiceField(forms.ModelChoiceField):
    """A choice the view has already read (and scoped) answers without a second query."""

    known: Procedure | None = None

    def to_python(self, value: Any) -> Any:
        if self.known is not None and str(value) == str(self.known.pk):
            return self.known
        return super().to_python(value)


class ReceiveForm(forms.Form):
    procedure = KnownChoiceField(
        label=_("procedure"), queryset=Procedure.objects.none(), widget=forms.HiddenInput
    )
    channel = forms.ChoiceField(
        label=_("channel"),
        choices=[(Channel.DESK, Channel.DESK.label), (Channel.POST, Channel.POST.label)],
        initial=Channel.DESK,
    )
    applicant_kind = forms.ChoiceField(
        label=_("applicant type"), choices=ApplicantKind.choices, initial=ApplicantKind.CITIZEN
    )
    applicant_personal_id = forms.CharField(
        label=_("personal identification number"),
        max_length=12,
        required=False,
        validators=[validate_personal_id],
    )
    applicant_name = forms.CharField(
        label=_("applicant"), max_length=200, error_messages=NAME_MESSAGES
    )
    applicant_address = forms.CharField(
        label=_("address"), max_length=300, required=False, error_messages={"max_length": TOO_LONG}
    )
    applicant_phone = forms.CharField(
        label=_("phone"), max_length=20, required=False, error_messages={"max_length": TOO_LONG}
    )
    applicant_email = forms.EmailField(
        label=_("e-mail"), max_length=254, required=False, error_messages=EMAIL_MESSAGES
    )
    sets = forms.IntegerField(
        label=_("number of sets"),
        min_value=1,
        max_value=MAX_SETS,
        initial=1,
        error_messages=SETS_MESSAGES,
    )

    def __init__(self, *args: Any, procedures: Any, procedure: Procedure | None = None,
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.fields["procedure"].queryset = procedures
        self.fields["procedure"].known = procedure  # read from ``procedures`` by the view
        self.procedure = procedure
        for paper in self.papers():
            prefix = f"paper_{paper.pk}"
            self.fields[f"{prefix}_received"] = forms.BooleanField(
                label=paper.name, required=False, initial=not paper.optional
            )
            self.fields[f"{prefix}_originals"] = _pieces(_("originals"), paper.originals)
            self.fields[f"{prefix}_copies"] = _pieces(_("copies"), paper.copies)
            self.fields[f"{prefix}_scan"] = forms.FileField(
                label=_("scan"), required=False, max_length=200, error_messages=SCAN_MESSAGES
            )

    def papers(self) -> tuple[Any, ...]:
        return parts_of(self.procedure).papers if self.procedure else ()

    def paper_rows(self) -> list[dict[str, Any]]:
        rows = []
        for paper in self.papers():
            prefix = f"paper_{paper.pk}"
            rows.append(
                {
                    "paper": paper,
                    **{
                        k: self[f"{prefix}_{k}"]
                        for k in ("received", "originals", "copies", "scan")
                    },
                }
            )
        return rows

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.procedure and not any(data.get(f"paper_{p.pk}_received") for p in self.papers()):
            raise forms.ValidationError(_("Tick the papers the applicant handed in."))
        return data


class ActionForm(forms.Form):
    """Every field an action may use; the dossier page shows the ones each action needs."""

    to_user = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    reason = forms.CharField(
        label=_("reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    items = forms.CharField(
        label=_("what to add or correct (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    contact = forms.CharField(
        label=_("contact person"),
        max_length=200,
        required=False,
        error_messages={"max_length": TOO_LONG},
    )
    kind = forms.ChoiceField(
        label=_("work"),
        required=False,
        choices=[
            (k, k.label) for k in (EventKind.APPRAISED, EventKind.VERIFIED, EventKind.CONSULTED)
        ],
    )
    to_unit = forms.CharField(
        label=_("unit consulted"),
        max_length=200,
        required=False,
        error_messages={"max_length": TOO_LONG},
    )
    method = forms.ChoiceField(
        label=_("how the result is returned"), required=False, choices=ReturnMethod.choices
    )
    new_due_at = forms.DateTimeField(
        label=_("new due date"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
        validators=[supported_date],
    )
    paper = forms.BooleanField(label=_("the result is on paper"), required=False)
    file = forms.FileField(label=_("result file"), required=False)

    def item_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("items", "").splitlines()]
