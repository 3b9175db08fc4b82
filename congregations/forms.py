"""Staff edit a congregation's profile in the app (the ledger has its own forms)."""

from django import forms

from conect.normalize import normalize_zip

from .models import Congregation


class CongregationForm(forms.ModelForm):
    class Meta:
        model = Congregation
        fields = [
            "name",
            "tradition",
            "denomination",
            "street",
            "town",
            "zip",
            "status",
            "joined_on",
        ]
        widgets = {"joined_on": forms.DateInput(attrs={"type": "date"})}

    def clean_zip(self):
        return normalize_zip(self.cleaned_data["zip"])
