from django import forms
from django.core.validators import validate_email
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from conect import fields
from conect.ladder import Level
from conect.normalize import normalize_phone
from congregations.models import Congregation
from members.models import Person, Tag, e164
from relationships.forms import person_label

from .models import ActionKind, EvaluationKind

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class QuickSelect(forms.Select):
    """A select whose options are written in Python: Django renders each <option> through its
    own template, which made a list of congregations cost more to render than the queries of
    the page it is on (issue 16). The same HTML as forms.Select."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group, options, _index in widget["optgroups"]:
            html = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                ((o["value"], flatatt(o["attrs"]), o["label"]) for o in options),
            )
            parts.append(
                format_html('<optgroup label="{}">{}</optgroup>', group, html) if group else html
            )
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            flatatt(widget["attrs"]),
            mark_safe("".join(parts)),  # noqa: S308 - each part built by format_html above
        )


class ActionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ActionKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    # conect.fields: the warnings' GET (actions:warnings) is sent whatever a URL can hold.
    campaign = fields.ModelChoiceField(
        label=_("Campaign"), queryset=Campaign.objects.order_by("name"), required=False
    )
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DATETIME)
    place = forms.CharField(label=_("Place"), max_length=200)
    turnout_goal = forms.IntegerField(
        label=_("Turnout goal"), min_value=0, max_value=100_000, initial=0
    )
    congregations = fields.ModelMultipleChoiceField(
        label=_("Participating congregations"),
        queryset=Congregation.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    agenda = forms.CharField(
        label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("An action cannot end before it starts."))
        return data


class PledgeForm(forms.Form):
    congregation = forms.ModelChoiceField(
        label=_("Congregation"), queryset=Congregation.objects.none(), widget=QuickSelect
    )
    pledged = forms.IntegerField(label=_("We will bring"), min_value=0, max_value=20_000)

    def __init__(self, *args, congregations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["congregation"].queryset = congregations


class InviteForm(forms.Form):
    """An invitation goes out from one congregation: its people who match the filters, and
    their yeses count toward its pledge."""

    congregation = forms.ModelChoiceField(
        label=_("Inviting congregation"),
        queryset=Congregation.objects.none(),
        widget=QuickSelect,
        help_text=_("Its members are invited, and their yeses count toward its pledge."),
    )
    tag = forms.ModelChoiceField(label=_("Tag"), queryset=Tag.objects.all(), required=False)
    level = forms.ChoiceField(
        label=_("At least this rung of the ladder"),
        choices=[("", "—"), *Level.choices],
        required=False,
    )

    def __init__(self, *args, congregations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["congregation"].queryset = congregations
        only = list(congregations[:2])
        if len(only) == 1:  # a lead of one congregation has it chosen already
            self.fields["congregation"].initial = only[0].pk


class WalkInForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    congregation = forms.ModelChoiceField(
        label=_("Congregation"), queryset=Congregation.objects.none(), widget=QuickSelect
    )
    contact = forms.CharField(label=_("Phone or email"), max_length=200, required=False)

    def __init__(self, *args, congregations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["congregation"].queryset = congregations

    def clean_contact(self):
        contact = self.cleaned_data["contact"].strip()
        self.email, self.phone = "", ""
        if not contact:
            return contact
        if "@" in contact:
            validate_email(contact)
            self.email = contact.lower()
        else:
            try:
                self.phone = normalize_phone(contact)
                e164(self.phone)
            except forms.ValidationError as exc:
                raise forms.ValidationError(_("Enter a phone number or an email address.")) from exc
        return contact


class AttendanceAfterForm(forms.Form):
    """Who came, recorded after the action: people the user may see, and how they know."""

    people = forms.ModelMultipleChoiceField(
        label=_("Who came"), queryset=Person.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(
        label=_("How do you know they came?"),
        max_length=300,
        help_text=_("For example: the sign-in sheet, the lead's list, a photo."),
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = people


class EvaluationForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=EvaluationKind.choices, widget=forms.HiddenInput
    )
    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}))
    turnout = forms.IntegerField(label=_("Turnout"), min_value=0)
    asks_answered = forms.CharField(
        label=_("Asks answered"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    what_worked = forms.CharField(label=_("What worked"), widget=forms.Textarea(attrs={"rows": 3}))
    what_to_change = forms.CharField(
        label=_("What to change"), widget=forms.Textarea(attrs={"rows": 3})
    )
    standouts: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Leaders who stood out"), queryset=Person.objects.none(), required=False
    )

    def __init__(self, *args, action, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        # Only attendees the evaluator may see can be named.
        self.fields["standouts"].queryset = people.filter(
            attendances__action=action, attendances__checked_in_at__isnull=False
        ).order_by("last_name", "first_name")
        self.fields["standouts"].label_from_instance = person_label  # same names told apart

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on < timezone.localdate(self.action.starts_at):
            raise forms.ValidationError(_("An evaluation comes after the action."))
        if held_on > timezone.localdate():
            raise forms.ValidationError(_("An evaluation cannot be in the future."))
        return held_on
