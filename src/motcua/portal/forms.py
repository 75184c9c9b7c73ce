from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import DeliveryMethod

from .models import (
    AgenciesRating,
    AttitudeRating,
    ContactsRating,
    PublicityRating,
    Satisfaction,
    TimeRating,
)


class SignUpForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    personal_id = forms.CharField(
        label=_("Personal identification number (CCCD)"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("E-mail"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    website = forms.CharField(required=False, label="")  # honeypot: people leave it empty


class CitizenSignInForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Identification number, phone or e-mail"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class LookupForm(forms.Form):
    code = forms.CharField(label=_("Dossier code"), max_length=60)
    phone = forms.CharField(
        label=_("Phone number given in the dossier"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )


class DeliveryForm(forms.Form):
    method = forms.ChoiceField(
        label=_("Receive the result"), choices=DeliveryMethod.choices, widget=forms.RadioSelect
    )
    address = forms.CharField(label=_("Postal address"), max_length=300, required=False)


class RatingForm(forms.Form):
    time = forms.ChoiceField(
        label=_("Processing time"), choices=TimeRating.choices, widget=forms.RadioSelect
    )
    contacts = forms.ChoiceField(
        label=_("How many times did you have to come back to complete the dossier?"),
        choices=ContactsRating.choices,
        widget=forms.RadioSelect,
    )
    agencies = forms.ChoiceField(
        label=_("How many agencies did you have to contact?"),
        choices=AgenciesRating.choices,
        widget=forms.RadioSelect,
    )
    attitude = forms.ChoiceField(
        label=_("Staff attitude"), choices=AttitudeRating.choices, widget=forms.RadioSelect
    )
    publicity = forms.ChoiceField(
        label=_("Was the procedure published in full?"),
        choices=PublicityRating.choices,
        widget=forms.RadioSelect,
    )
    satisfaction = forms.ChoiceField(
        label=_("Overall, how satisfied are you?"),
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
