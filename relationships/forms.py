"""Validation for the relational-meeting forms: scoped choices, no saving logic."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from conect.normalize import normalize_phone
from congregations.models import Congregation
from congregations.selectors import congregations_visible_to
from members.models import Person, User, e164
from members.selectors import people_visible_to

from .models import IssueHeard, Potential
from .selectors import default_congregation_id, issues_offered, local_today
from .services import NewPerson

NEW_PERSON = "new"
FOLLOW_UP_CHOICES = [
    ("1w", _("1 week")),
    ("2w", _("2 weeks")),
    ("1m", _("1 month")),
    ("", _("none")),
]
FOLLOW_UP_DAYS = {"1w": 7, "2w": 14, "1m": 30}


def _bootstrap(form: forms.Form) -> None:
    """Bootstrap classes on plain inputs (chips and radios are styled in the template)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
            continue
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class OneOnOneForm(forms.Form):
    """The organizer's minute: who, when, what we heard, the story, when to follow up."""

    person = forms.CharField(label=_("Who?"), required=False)
    new_first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    new_last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    new_congregation = forms.ModelChoiceField(
        label=_("Congregation"), queryset=Congregation.objects.none(), required=False
    )
    new_phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    new_email = forms.EmailField(label=_("Email"), max_length=254, required=False)
    held_on = forms.DateField(
        label=_("When"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    issues = forms.ModelMultipleChoiceField(
        label=_("Heard"),
        queryset=IssueHeard.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    new_issue = forms.CharField(label=_("Another issue"), max_length=60, required=False)
    notes = forms.CharField(
        label=_("Story"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    share_notes = forms.BooleanField(
        label=_("Share the story with the congregation's core team"), required=False
    )
    follow_up = forms.ChoiceField(
        label=_("Next"), choices=FOLLOW_UP_CHOICES, required=False, widget=forms.RadioSelect
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    duration_minutes = forms.IntegerField(
        label=_("Minutes"), min_value=1, max_value=600, required=False
    )
    potential = forms.ChoiceField(label=_("Potential"), choices=Potential.choices, required=False)
    next_step = forms.CharField(label=_("Next step"), max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.people = people_visible_to(user)
        congregations = congregations_visible_to(user).order_by("name")
        self.fields["new_congregation"].queryset = congregations
        self.fields["issues"].queryset = issues_offered()
        _bootstrap(self)
        if not self.is_bound:
            self.initial.setdefault("held_on", local_today())
            self.initial.setdefault("follow_up", "2w")
            default = default_congregation_id(user, congregations)
            if default is not None:  # the user's own congregation, or their only one
                self.initial.setdefault("new_congregation", default)

    def clean_new_phone(self):
        return _clean_phone(self.cleaned_data["new_phone"])

    def clean_new_email(self):
        return self.cleaned_data["new_email"].strip().lower()

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > local_today() + datetime.timedelta(days=1):
            raise forms.ValidationError(_("A one-on-one is logged after it happens."))
        return held_on

    def clean(self):
        data = super().clean()
        choice = (data.get("person") or "").strip()
        data["person_obj"] = None
        if choice == NEW_PERSON:
            if not (data.get("new_first_name") or "").strip():
                self.add_error("new_first_name", _("Give the new person's first name."))
            if not data.get("new_congregation"):
                self.add_error("new_congregation", _("Choose the new person's congregation."))
        elif choice.isdigit():
            data["person_obj"] = self.people.filter(pk=int(choice)).first()
            if data["person_obj"] is None:
                self.add_error("person", _("Choose someone from the list."))
        else:
            self.add_error("person", _("Choose who you met, or add a new person."))
        return data

    def follow_up_on(self) -> datetime.date | None:
        days = FOLLOW_UP_DAYS.get(self.cleaned_data.get("follow_up") or "")
        return self.cleaned_data["held_on"] + datetime.timedelta(days=days) if days else None

    def log_arguments(self) -> dict:
        """The cleaned form as services.one_on_one_log's keywords."""
        data = self.cleaned_data
        person = data["person_obj"] or NewPerson(
            first_name=data["new_first_name"],
            last_name=data["new_last_name"],
            congregation=data["new_congregation"],
            email=data["new_email"],
            phone=data["new_phone"],
        )
        return {
            "person": person,
            "held_on": data["held_on"],
            "issues": data["issues"],
            "new_issues": [data["new_issue"]],
            "notes": data["notes"],
            "share_notes": data["share_notes"],
            "place": data["place"],
            "duration_minutes": data["duration_minutes"],
            "potential": data["potential"],
            "next_step": data["next_step"],
            "follow_up_on": self.follow_up_on(),
        }


def _clean_phone(value: str) -> str:
    try:
        phone = normalize_phone(value)
        if phone:
            e164(phone)
    except forms.ValidationError as exc:
        raise forms.ValidationError(
            _("Enter a phone number, e.g. (860) 555-0123 or +44 20 7946 0958.")
        ) from exc
    return phone


class FollowUpForm(forms.Form):
    """A follow-up by hand: whom (picked through the type-ahead), by when, and what to do."""

    person = forms.CharField(label=_("Who?"), required=False)
    due_on = forms.DateField(
        label=_("By when"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(label=_("What to do"), max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = people_visible_to(user)
        _bootstrap(self)
        if not self.is_bound:
            self.initial.setdefault("due_on", local_today() + datetime.timedelta(days=7))

    def clean(self):
        data = super().clean()
        choice = (data.get("person") or "").strip()
        data["person_obj"] = (
            self.people.filter(pk=int(choice)).first() if choice.isdigit() else None
        )
        if data["person_obj"] is None:
            self.add_error("person", _("Choose someone from the list."))
        return data


class FollowUpChangeForm(forms.Form):
    """Reschedule, rewrite or hand over a follow-up (to someone whose scope includes the
    person)."""

    due_on = forms.DateField(
        label=_("By when"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(label=_("What to do"), max_length=300, required=False)
    owner = forms.ModelChoiceField(label=_("Who follows up"), queryset=User.objects.none())

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(pk__in=[u.pk for u in owners])
        self.fields["owner"].label_from_instance = _owner_label
        _bootstrap(self)


def person_label(person: Person) -> str:
    """A person as a picker names them: enough to tell two Ana Ruiz apart without a query
    (town, ladder level, the phone's last four digits)."""
    details = [person.town, person.get_level_display()]
    if person.phone:
        details.append(f"…{person.phone[-4:]}")
    return " · ".join([person.full_name, *[d for d in details if d]])


def _owner_label(user) -> str:
    return f"{user.get_full_name() or user.email} · {user.get_role_display()}"


class HouseMeetingForm(forms.Form):
    congregation = forms.ModelChoiceField(
        label=_("Host congregation"), queryset=Congregation.objects.none()
    )
    held_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    # Picked through the type-ahead (checkboxes named "attendees"), never a 30,000-row list.
    attendees = forms.ModelMultipleChoiceField(
        label=_("Attendees"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.MultipleHiddenInput,
    )
    new_attendees = forms.CharField(
        label=_("New attendees (one name per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    issues = forms.ModelMultipleChoiceField(
        label=_("Heard"),
        queryset=IssueHeard.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea)
    share_notes = forms.BooleanField(
        label=_("Share the notes with the congregation's core team"), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["congregation"].queryset = congregations_visible_to(user).order_by("name")
        self.fields["issues"].queryset = issues_offered()
        self.fields["attendees"].queryset = people_visible_to(user)
        _bootstrap(self)
        if not self.is_bound:
            self.initial.setdefault("held_on", local_today())

    def new_attendee_names(self) -> list[tuple[str, str]]:
        names = []
        for line in (self.cleaned_data.get("new_attendees") or "").splitlines():
            parts = line.split()
            if parts:
                names.append((parts[0][:100], " ".join(parts[1:])[:100]))
        return names[:100]

    def log_arguments(self) -> dict:
        """The cleaned form as services.house_meeting_log's keywords."""
        data = self.cleaned_data
        return {
            "congregation": data["congregation"],
            "held_on": data["held_on"],
            "place": data["place"],
            "attendees": data["attendees"],
            "new_attendees": self.new_attendee_names(),
            "issues": data["issues"],
            "notes": data["notes"],
            "share_notes": data["share_notes"],
        }


class PeriodFilterForm(forms.Form):
    """Congregation and period filters for the listening roll-up and the relationship map."""

    congregation = forms.ModelChoiceField(
        label=_("Congregation"),
        queryset=Congregation.objects.none(),
        required=False,
        empty_label=_("All"),
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["congregation"].queryset = congregations_visible_to(user).order_by("name")
        _bootstrap(self)
