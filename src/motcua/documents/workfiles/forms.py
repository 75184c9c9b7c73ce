"""Forms of the work-file pages; the rules themselves are the services'."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from motcua.core.models import User
from motcua.dossiers.models import Dossier

from ..models import IncomingDocument, OutgoingDocument
from .models import WorkFile

# Suggested in the retention field; the unit may write any other period.
RETENTION_SUGGESTIONS = ["Vĩnh viễn", "70 năm", "50 năm", "20 năm", "10 năm", "5 năm"]


class OpenFileForm(forms.Form):
    code = forms.CharField(label=_("File code"), max_length=30)
    title = forms.CharField(label=_("Title of the work file"), max_length=500)
    keeper = forms.ModelChoiceField(label=_("Keeper"), queryset=User.objects.none())
    retention = forms.CharField(
        label=_("Retention period"),
        max_length=50,
        widget=forms.TextInput(attrs={"list": "retention-periods"}),
    )

    def __init__(self, *args: Any, keepers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choose_from(self.fields["keeper"], keepers, _name)


class FileItemForm(forms.Form):
    """File one thing: an incoming or outgoing document picked from a list, or a dossier by
    its code."""

    KINDS = [
        ("incoming", _("Incoming document")),
        ("outgoing", _("Outgoing document")),
        ("dossier", _("Dossier")),
    ]
    kind = forms.ChoiceField(label=_("What to file"), choices=KINDS, initial="incoming")
    incoming = forms.ModelChoiceField(
        label=_("Incoming document"), queryset=IncomingDocument.objects.none(), required=False
    )
    outgoing = forms.ModelChoiceField(
        label=_("Outgoing document"), queryset=OutgoingDocument.objects.none(), required=False
    )
    dossier_code = forms.CharField(label=_("Dossier code"), max_length=60, required=False)

    def __init__(
        self,
        *args: Any,
        incoming: QuerySet[IncomingDocument],
        outgoing: QuerySet[OutgoingDocument],
        find_dossier: Callable[[str], Dossier | None],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _choose_from(self.fields["incoming"], incoming, _incoming_label)
        _choose_from(self.fields["outgoing"], outgoing, _outgoing_label)
        self._find_dossier = find_dossier

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        kind = data.get("kind")
        if kind == "incoming" and not data.get("incoming"):
            self.add_error("incoming", _("Choose the incoming document to file."))
        elif kind == "outgoing" and not data.get("outgoing"):
            self.add_error("outgoing", _("Choose the outgoing document to file."))
        elif kind == "dossier":
            code = data.get("dossier_code", "")
            dossier = self._find_dossier(code) if code else None
            if dossier is None:
                self.add_error("dossier_code", _("No dossier of your unit has this code."))
            data["dossier"] = dossier
        return data

    def item(self) -> dict[str, object]:
        """The keyword the filing service takes: incoming=, outgoing= or dossier=."""
        kind = self.cleaned_data["kind"]
        return {kind: self.cleaned_data[kind]}


class CloseForm(forms.Form):
    note = forms.CharField(
        label=_("Note on closing"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FileIntoForm(forms.Form):
    """On a document's page: the open work file to put it in."""

    work_file = forms.ModelChoiceField(label=_("Work file"), queryset=WorkFile.objects.none())

    def __init__(self, *args: Any, files: QuerySet[WorkFile], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choose_from(self.fields["work_file"], files, _file_label)


def _choose_from(field: Any, queryset: QuerySet[Any], label: Callable[[Any], str]) -> None:
    field.queryset = queryset
    field.label_from_instance = label


def _name(user: User) -> str:
    return user.get_full_name() or user.get_username()


def _incoming_label(document: IncomingDocument) -> str:
    return f"{document.number:02d}/{document.year} · {document.reference} · {document.abstract}"[
        :160
    ]


def _outgoing_label(document: OutgoingDocument) -> str:
    return f"{document.reference} · {document.abstract}"[:160]


def _file_label(work_file: WorkFile) -> str:
    return f"{work_file.code} — {work_file.title} ({work_file.plan.year})"
