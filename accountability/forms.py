from django import forms
from django.utils.translation import gettext_lazy as _

from actions.models import Action
from members.models import Person

from .models import CommitmentKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LeaderCommitmentForm(forms.Form):
    """Who, what, how many and by when. "Bring N people" names an action (its day is the due
    date); the others a date."""

    person = forms.ModelChoiceField(label=_("Leader"), queryset=Person.objects.none())
    kind = forms.ChoiceField(
        label=_("Commitment"), choices=CommitmentKind.choices, widget=forms.RadioSelect
    )
    target = forms.IntegerField(label=_("How many"), min_value=1, max_value=500)
    action = forms.ModelChoiceField(
        label=_("Action to bring people to"), queryset=Action.objects.none(), required=False
    )
    due_on = forms.DateField(
        label=_("By"),
        required=False,
        widget=DATE,
        help_text=_("Not needed to bring people: the action's day is the date."),
    )

    def __init__(self, *args, leaders, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = leaders
        self.fields["action"].queryset = actions
        only = list(leaders[:2])
        if len(only) == 1:  # a leader records their own: nothing to choose
            self.fields["person"].initial = only[0].pk
            self.fields["person"].widget = forms.HiddenInput()

    def clean(self):
        data = super().clean()
        if data.get("kind") == CommitmentKind.BRING:
            if not data.get("action"):
                self.add_error("action", _("Choose the action they will bring people to."))
        elif not data.get("due_on"):
            self.add_error("due_on", _("Give the date it is due."))
        return data
