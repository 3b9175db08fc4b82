"""Forms for civic participation (actions.civic): counts, elections and pledge cards."""

from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Person

from .models import Election


class RegistrationDriveForm(forms.Form):
    forms_registered = forms.IntegerField(
        label=_("Registration forms completed"), min_value=0, max_value=100_000
    )
    people_helped = forms.IntegerField(
        label=_("People helped"),
        min_value=0,
        max_value=100_000,
        help_text=_("Checked their status, moved their address, found their polling place…"),
    )


class ElectionForm(forms.ModelForm):
    class Meta:
        model = Election
        fields = ["name", "held_on"]
        widgets = {"held_on": forms.DateInput(attrs={"type": "date"})}
        help_texts = {"name": _("The election, never a candidate: e.g. Hartford municipal 2027.")}

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())


class PledgeCardForm(forms.Form):
    election = forms.ModelChoiceField(label=_("Election"), queryset=Election.objects.none())
    person = forms.ModelChoiceField(label=_("Who pledged"), queryset=Person.objects.none())

    def __init__(self, *args, elections, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["election"].queryset = elections
        self.fields["person"].queryset = people
