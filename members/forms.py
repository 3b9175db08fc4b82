"""Validation of what people type about people. Saving is the services' job."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conect import access
from conect.ladder import Level
from conect.normalize import (
    clean_spaces,
    normalize_email,
    normalize_phone,
    normalize_zip,
    tidy_name,
)
from congregations.models import Congregation
from congregations.selectors import congregations_visible_to

from .importing import ImportFileError, check_file, decode
from .models import Person, RaceEthnicity, Tag, VoterStatus
from .selectors import people_like, people_visible_to

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class PersonForm(forms.ModelForm):
    congregation = forms.ModelChoiceField(
        label=_("Primary congregation"), queryset=Congregation.objects.none()
    )
    other_congregations = forms.ModelMultipleChoiceField(
        label=_("Also belongs to"),
        queryset=Congregation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    tags = forms.ModelMultipleChoiceField(
        label=_("Tags"),
        queryset=Tag.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    new_tags = forms.CharField(
        label=_("New tags"),
        required=False,
        max_length=200,
        help_text=_("Separate with commas."),
    )

    class Meta:
        model = Person
        fields = [
            "first_name",
            "last_name",
            "email",
            "phone",
            "phone_extension",
            "street",
            "town",
            "zip",
            "language",
            "email_ok",
            "sms_ok",
            "do_not_contact",
            "notes",
        ]
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "off", "inputmode": "email"}),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "placeholder": "(860) 555-0123"}),
            "zip": forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "06103"}),
            "phone_extension": forms.TextInput(attrs={"inputmode": "numeric"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "phone": _("US numbers any way you like; others with a leading +."),
            "do_not_contact": _(
                "No email, text or call from CONECT, whatever the other boxes say."
            ),
        }

    add_anyway = forms.BooleanField(label=_("None of these: add a new person"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.similar: list[Person] = []  # "did you mean …?" when adding someone
        if self.instance.pk:
            del self.fields["add_anyway"]
        self.fields["email"].validators = []  # normalize_email validates, after trimming
        self.fields["phone"].validators = []
        self.fields["zip"].validators = []
        self.fields["phone"].max_length = None
        self.fields["phone"].widget.attrs.pop("maxlength", None)
        self.fields["congregation"].queryset = congregations_visible_to(user).order_by("name")
        self.fields["other_congregations"].queryset = self.fields["congregation"].queryset
        if len(self.fields["congregation"].queryset) < 2:
            del self.fields["other_congregations"]  # nothing else to choose from
            if not self.instance.pk:  # a lead of one congregation has one answer: preselect it
                self.fields["congregation"].initial = next(
                    iter(self.fields["congregation"].queryset), None
                )
        self.primary_elsewhere = None  # a primary congregation outside scope, shown, not changed
        if self.instance.pk:
            memberships = list(self.instance.memberships.select_related("congregation"))
            primary = next((m for m in memberships if m.is_primary), None)
            if primary and not access.in_scope(user, primary.congregation_id):
                self.primary_elsewhere = primary.congregation
                del self.fields["congregation"]
            elif primary:
                self.fields["congregation"].initial = primary.congregation_id
            if "other_congregations" in self.fields:
                self.fields["other_congregations"].initial = [
                    m.congregation_id for m in memberships if not m.is_primary
                ]
            self.fields["tags"].initial = list(self.instance.tags.values_list("pk", flat=True))
        if not access.is_organizing_staff(user):
            del self.fields["notes"]

    def clean_first_name(self):
        return tidy_name(self.cleaned_data["first_name"])

    def clean_last_name(self):
        return tidy_name(self.cleaned_data["last_name"])

    def clean_email(self):
        return normalize_email(self.cleaned_data["email"])

    def clean_phone(self):
        return normalize_phone(self.cleaned_data["phone"])

    def clean_zip(self):
        return normalize_zip(self.cleaned_data["zip"])

    def clean_new_tags(self):
        names = [clean_spaces(name)[:60] for name in self.cleaned_data["new_tags"].split(",")]
        return [name for name in names if name]

    def clean(self):
        data = super().clean()
        email = data.get("email")
        if email:
            # Only about people the user can see: for anyone else the answer would tell that
            # they exist. Adding them again makes a same-email pair on staff's duplicates page.
            people = people_visible_to(self.user, include_archived=True)
            if people.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
                self.add_error(
                    "email",
                    _(
                        "Someone with this email is already in the network. Search for them, "
                        "or ask an organizer to merge the records."
                    ),
                )
        if "add_anyway" in self.fields and not data.get("add_anyway") and not self.errors:
            self.similar = people_like(
                self.user,
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
                phone=data.get("phone", ""),
                zip=data.get("zip", ""),
            )
            if self.similar:
                raise forms.ValidationError(
                    _(
                        "Did you mean someone already here? Open them below, or tick "
                        "“None of these” to add a new person."
                    ),
                    code="similar",
                )
        return data

    def tag_fields(self) -> dict:
        return {"tags": self.cleaned_data["tags"], "new_tags": self.cleaned_data["new_tags"]}

    def membership_fields(self) -> dict:
        """Primary and other congregations, for person_create / person_update: only the fields
        this user was shown (a primary congregation outside their scope is not among them)."""
        names = ("congregation", "other_congregations")
        return {name: self.cleaned_data[name] for name in names if name in self.fields}

    def person_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.fields}


class LadderMoveForm(forms.Form):
    to_level = forms.ChoiceField(label=_("Move to"), choices=Level.choices)
    reason = forms.CharField(
        label=_("Why"),
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. chaired the housing assembly")}),
    )

    def __init__(self, *args, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_to_level(self):
        level = self.cleaned_data["to_level"]
        if self.person is not None and level == self.person.level:
            raise ValidationError(_("They are already on this rung."))
        return level


class DeleteForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (kept in the audit log)"),
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. privacy request by email")}),
    )
    confirm = forms.BooleanField(label=_("I understand this cannot be undone."))


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))
    congregation = forms.ModelChoiceField(
        label=_("Congregation for rows that name none"),
        queryset=Congregation.objects.none(),
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        congregations = congregations_visible_to(user).order_by("name")
        self.fields["congregation"].queryset = congregations
        if len(congregations) == 1:
            self.fields["congregation"].initial = congregations[0].pk

    def clean_file(self):
        """Read the whole file here, before anything is kept: a file that is not CSV text
        (binary, NUL bytes, a spreadsheet renamed .csv, a cell over 131,072 characters, no
        header or no rows) is a form error and leaves nothing behind (docs/privacy.md)."""
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("The file is larger than 20 MB: split it."))
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise ValidationError(_("Upload a .csv file (in Excel: Save As → CSV)."))
        if not upload.size:
            raise ValidationError(_("The file is empty."))
        try:
            text = decode(upload.read())
            check_file(text)
        except ImportFileError as error:
            raise ValidationError(str(error)) from None
        self.cleaned_data["text"] = text
        return upload


class MergeForm(forms.Form):
    survivor = forms.ChoiceField(label=_("Keep"), widget=forms.RadioSelect)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {str(person.pk): person for person in people}
        self.fields["survivor"].choices = [(pk, str(p)) for pk, p in self.people.items()]


class DemographicsForm(forms.Form):
    """Race/ethnicity as the person says it: any number from the list, their own words, and
    their consent, given today, which the form will not do without."""

    groups = forms.MultipleChoiceField(
        label=_("Race/ethnicity (as many as they choose)"),
        choices=RaceEthnicity.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    self_described = forms.CharField(
        label=_("In their own words"),
        required=False,
        max_length=100,
        help_text=_(
            "Optional: how they describe themself, e.g. Puerto Rican, Ghanaian, Afro-Latina."
        ),
    )
    consent = forms.BooleanField(
        label=_("They agreed, today, that CONECT records this for counting who leads"),
        required=True,
        error_messages={
            "required": _("Recorded only with their consent: ask them first, or leave it blank.")
        },
    )

    def clean(self):
        data = super().clean()
        if not data.get("groups") and not clean_spaces(data.get("self_described", "")):
            raise ValidationError(_("Choose at least one group or write their own words."))
        return data


class VoterRegistrationForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Registered to vote? (as they say)"),
        choices=VoterStatus.choices,
        widget=forms.RadioSelect,
    )
    town = forms.CharField(label=_("Registered in (town)"), required=False, max_length=100)
    asked_on = forms.DateField(label=_("Asked on"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean_asked_on(self):
        asked_on = self.cleaned_data["asked_on"]
        if asked_on > timezone.localdate():
            raise ValidationError(_("The day we asked cannot be in the future."))
        return asked_on
