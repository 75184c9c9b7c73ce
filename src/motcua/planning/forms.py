from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.core.models import User
from motcua.core.params import supported_date

from .models import CONDUCT_ITEMS, ActivityKind, Finding, PlaceKind

WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DAY = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _StaffForm(forms.Form):
    """A form whose user choices are the unit's staff."""

    def __init__(self, *args, staff=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                field.queryset = staff if staff is not None else User.objects.none()
                field.label_from_instance = lambda u: u.get_full_name()  # type: ignore[method-assign]


class PlanForm(_StaffForm):
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 2}))
    place_kind = forms.ChoiceField(label=_("Going to"), choices=PlaceKind.choices)
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    starts_at = forms.DateTimeField(label=_("From"), widget=WHEN, validators=[supported_date])
    ends_at = forms.DateTimeField(label=_("Until"), widget=WHEN, validators=[supported_date])
    companions = forms.ModelMultipleChoiceField(
        label=_("Going with"), queryset=User.objects.none(), required=False
    )
    companions_other = forms.CharField(label=_("Others going"), max_length=300, required=False)
    on_schedule = forms.BooleanField(
        label=_("Put it on the unit's weekly schedule"), required=False
    )


class EngagementForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Time"), widget=WHEN, validators=[supported_date])
    ends_at = forms.DateTimeField(
        label=_("Until (optional)"), widget=WHEN, required=False, validators=[supported_date]
    )
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 2}))
    host = forms.CharField(label=_("Chaired by"), max_length=200, required=False)
    participants = forms.CharField(label=_("Participants"), max_length=300, required=False)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)


class InspectionForm(_StaffForm):
    title = forms.CharField(label=_("Title"), max_length=300)
    scope = forms.CharField(label=_("Scope"), widget=forms.Textarea(attrs={"rows": 2}))
    starts_on = forms.DateField(label=_("From"), widget=DAY, validators=[supported_date])
    ends_on = forms.DateField(label=_("Until"), widget=DAY, validators=[supported_date])
    team = forms.ModelMultipleChoiceField(label=_("Team"), queryset=User.objects.none())
    team_other = forms.CharField(label=_("Other members"), max_length=300, required=False)


class FindingForm(forms.Form):
    shortcoming = forms.CharField(
        label=_("Shortcoming found"), widget=forms.Textarea(attrs={"rows": 2})
    )
    criterion = forms.ModelChoiceField(
        label=_("Reform criterion concerned"),
        queryset=Finding.criterion.field.related_model._default_manager.none(),  # set per unit
        required=False,
    )
    evidence = forms.FileField(label=_("Evidence (record, photo)"), required=False)

    def __init__(self, *args, criteria=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        if criteria is not None:
            self.fields["criterion"].queryset = criteria  # type: ignore[attr-defined]


class TaskForm(_StaffForm):
    title = forms.CharField(label=_("Task"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none())
    deadline = forms.DateTimeField(label=_("Deadline"), widget=WHEN, validators=[supported_date])


class CompleteForm(forms.Form):
    note = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))


class InitiativeForm(_StaffForm):
    title = forms.CharField(label=_("Title"), max_length=300)
    problem = forms.CharField(label=_("Problem"), widget=forms.Textarea(attrs={"rows": 3}))
    solution = forms.CharField(label=_("Solution"), widget=forms.Textarea(attrs={"rows": 3}))
    expected_effect = forms.CharField(
        label=_("Expected effect"), widget=forms.Textarea(attrs={"rows": 2})
    )
    co_authors = forms.ModelMultipleChoiceField(
        label=_("Co-authors"), queryset=User.objects.none(), required=False
    )
    council = forms.ModelMultipleChoiceField(
        label=_("Council"), queryset=User.objects.none(), required=False
    )


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices)
    title = forms.CharField(label=_("Content"), max_length=300)
    held_on = forms.DateField(label=_("Date"), widget=DAY, validators=[supported_date])
    audience = forms.CharField(label=_("Audience"), max_length=300, required=False)
    reached = forms.IntegerField(
        label=_("People reached"), min_value=0, max_value=10_000_000, required=False
    )
    link = forms.URLField(label=_("Link"), required=False, assume_scheme="https")
    evidence = forms.FileField(label=_("Evidence"), required=False)


class DeskCheckForm(_StaffForm):
    officer = forms.ModelChoiceField(label=_("Desk officer"), queryset=User.objects.none())
    inspected_on = forms.DateField(label=_("Date"), widget=DAY, validators=[supported_date])
    met = forms.MultipleChoiceField(
        label=_("Met"), choices=CONDUCT_ITEMS, required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ComplaintForm(_StaffForm):
    officer = forms.ModelChoiceField(label=_("Officer"), queryset=User.objects.none())
    received_on = forms.DateField(label=_("Received on"), widget=DAY, validators=[supported_date])
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 2}))
