"""Form fields for every floor."""

from django import forms
from django.core.exceptions import ValidationError

ID_MAX = 2**63 - 1  # the largest id a table can hold (a bigint)


def beyond_any_id(value) -> bool:
    """A whole number no id can be. SQLite cannot even bind it (OverflowError, a 500)."""
    text = str(value).strip().lstrip("+-")
    return text.isdigit() and (len(text) > 19 or int(text) > ID_MAX)


class ModelChoiceField(forms.ModelChoiceField):
    """Django's, with a number beyond any id an invalid choice rather than a 500."""

    def to_python(self, value):
        if value not in self.empty_values and beyond_any_id(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, with a number beyond any id an invalid choice rather than a 500."""

    def _check_values(self, value):
        for item in value:
            if beyond_any_id(item):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": str(item)[:30]},
                )
        return super()._check_values(value)
