from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from conect import access
from conect.ladder import LEADER_LEVELS
from conect.nonpartisan import partisan_words
from congregations.models import Congregation
from members.models import Person, User

from .models import Answer, Campaign, Commitment, CommitmentStatus, Issue, Stage, Target
from .selectors import actions_involving_q, campaigns_involving
from .services import commitment_status_check


class IssueForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    heard_from_id = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    heard_from_label = forms.CharField(required=False, max_length=120, widget=forms.HiddenInput)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if Issue.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError(_("There is already an issue with this name."))
        return name


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=160)
    issue = forms.ModelChoiceField(label=_("Issue"), queryset=Issue.objects.order_by("name"))
    goal = forms.CharField(label=_("Goal (the win)"), widget=forms.Textarea(attrs={"rows": 2}))
    stage = forms.ChoiceField(
        label=_("Starting stage"), choices=Stage.choices, initial=Stage.RELATE
    )
    congregations = forms.ModelMultipleChoiceField(
        label=_("Participating congregations"), queryset=Congregation.objects.none(), required=False
    )
    lead_organizer = forms.ModelChoiceField(
        label=_("Lead organizer"), queryset=User.objects.none(), required=False
    )
    # Picked through the type-ahead (checkboxes named "leaders"), never a list of thousands.
    leaders = forms.ModelMultipleChoiceField(
        label=_("Leaders' team"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.MultipleHiddenInput,
    )

    def __init__(self, *args, congregations, people, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:  # the stage moves around the cycle with a reason, not from this form
            del self.fields["stage"]
        self.fields["congregations"].queryset = congregations
        # Leaders and up, among the people the organizer may see.
        self.fields["leaders"].queryset = people.filter(level__in=LEADER_LEVELS).order_by(
            "last_name", "first_name"
        )
        self.fields["lead_organizer"].queryset = User.objects.filter(
            role__in=access.ORGANIZING_STAFF_ROLES, is_active=True
        )


class StageChangeForm(forms.Form):
    to_stage = forms.ChoiceField(choices=Stage.choices, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why now?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ResearchActionForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    met_with = forms.CharField(label=_("Met with (official or expert)"), max_length=200)
    target = forms.ModelChoiceField(
        label=_("Target"), queryset=Target.objects.all(), required=False
    )
    who_went = forms.ModelMultipleChoiceField(
        label=_("Who went"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.MultipleHiddenInput,
    )
    questions = forms.CharField(
        label=_("Questions"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    findings = forms.CharField(
        label=_("Findings"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        # Anyone the organizer may see (the team is offered first, in the template).
        self.fields["who_went"].queryset = people


class TargetForm(forms.ModelForm):
    """A target is an official by office: a name or office naming a party or a candidacy
    (conect.nonpartisan) saves only once the organizer ticks the confirmation."""

    confirm_nonpartisan = forms.BooleanField(
        label=_("This is an office, not a party or a campaign: save it anyway"),
        required=False,
    )
    # The app's page shows the box only once a word is found; the admin always lists it.
    ask_only_when_needed = True

    class Meta:
        model = Target
        fields = ["name", "office", "jurisdiction", "public_contact"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.ask_only_when_needed and not self._partisan_words_in_data():
            del self.fields["confirm_nonpartisan"]

    def _partisan_words_in_data(self) -> list[str]:
        if not self.is_bound:
            return []
        return partisan_words(
            self.data.get(self.add_prefix("name"), ""), self.data.get(self.add_prefix("office"), "")
        )

    def clean(self):
        data = super().clean()
        words = partisan_words(data.get("name", ""), data.get("office", ""))
        if words and not data.get("confirm_nonpartisan"):
            self.add_error(
                "confirm_nonpartisan",
                _(
                    "CONECT is non-partisan: targets are officials by office. These words name "
                    "a party or a candidacy: %(words)s. Remove them, or tick the box to save."
                )
                % {"words": ", ".join(words)},
            )
        return data


class CommitmentForm(forms.Form):
    ask = forms.CharField(label=_("Ask"), widget=forms.Textarea(attrs={"rows": 2}))
    answer = forms.ChoiceField(label=_("Answer"), choices=Answer.choices)
    due_on = forms.DateField(
        label=_("Due on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    campaign = forms.ModelChoiceField(
        label=_("Campaign"), queryset=Campaign.objects.all(), required=False
    )
    # Actions are a floor up (actions imports campaigns): the field's model comes from the FK.
    action = forms.ModelChoiceField(
        label=_("Asked at"),
        queryset=Commitment.action.field.related_model._default_manager.order_by("-starts_at"),
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # An ask is recorded against a campaign or an action that involves the user.
        self.fields["campaign"].queryset = campaigns_involving(user).order_by("name")
        involved = actions_involving_q(user)
        if involved is not None:
            actions: Any = self.fields["action"]
            everything = actions.queryset.model._default_manager
            actions.queryset = actions.queryset.filter(
                pk__in=everything.filter(involved).values("pk")
            )


class CommitmentStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=CommitmentStatus.choices)
    evidence = forms.CharField(
        label=_("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, commitment=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.commitment = commitment

    def clean(self):
        data = super().clean()
        try:
            status, evidence = data.get("status", ""), data.get("evidence", "")
            answer = self.commitment.answer if self.commitment is not None else ""
            commitment_status_check(status=status, evidence=evidence, answer=answer)
        except forms.ValidationError as error:
            self.add_error(None, error)
        return data
