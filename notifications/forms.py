from django import forms

from .models import Kind


class PreferencesForm(forms.Form):
    """One checkbox per kind: email on or off (the app always shows every notification)."""

    def __init__(self, *args, initial_by_kind: dict[str, bool], **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in Kind.choices:
            self.fields[value] = forms.BooleanField(
                label=label, required=False, initial=initial_by_kind.get(value, True)
            )
