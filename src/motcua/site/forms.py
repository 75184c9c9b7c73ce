from django import forms
from django.utils.translation import gettext_lazy as _

from .services.feedback import FeedbackData


class FeedbackForm(forms.Form):
    """The citizen's message. The rules live in the service; this only carries the fields."""

    name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    subject = forms.CharField(label=_("Subject"), max_length=200, required=False)
    content = forms.CharField(
        label=_("Feedback or question"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    # Hidden from people (CSS and aria-hidden); robots fill every field they find.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def data_object(self) -> FeedbackData:
        values = {k: v for k, v in self.cleaned_data.items() if k != "website"}
        return FeedbackData(**values)


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 8})
    )
