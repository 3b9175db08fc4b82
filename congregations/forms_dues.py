"""Forms of the dues ledger: validation only; the services post the entries."""

import uuid
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import IncomeKind, IncomeSource, OtherIncome, PaymentMethod

MAX_DOLLARS = Decimal("1000000")


def to_cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


class IdempotentForm(forms.Form):
    """Carries a key made when the form is first shown: submitting it twice posts once."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)

    def clean_idempotency_key(self):
        value = self.cleaned_data["idempotency_key"]
        try:
            return uuid.UUID(hex=value).hex
        except ValueError:
            raise forms.ValidationError(_("This form is out of date: reload the page.")) from None


class PaymentForm(IdempotentForm):
    amount = forms.DecimalField(
        label=_("Amount ($)"), min_value=Decimal("0.01"), max_value=MAX_DOLLARS, decimal_places=2
    )
    received_on = forms.DateField(
        label=_("Date received"), widget=forms.DateInput(attrs={"type": "date"})
    )
    method = forms.ChoiceField(label=_("Method"), choices=PaymentMethod.choices)
    reference = forms.CharField(
        label=_("Reference number"),
        max_length=60,
        required=False,
        help_text=_("Check number, ACH trace or card receipt."),
    )
    memo = forms.CharField(label=_("Memo"), max_length=255, required=False)
    # Shown only once the payment was refused as looking like one already recorded.
    record_anyway = forms.BooleanField(
        label=_("I know: record it anyway, it is another payment"), required=False
    )
    duplicate_reason = forms.CharField(
        label=_("Why is it another payment?"),
        max_length=255,
        required=False,
        help_text=_("For example: two checks with the same number, confirmed by the bank."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("received_on", timezone.localdate())

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A payment cannot be received in the future."))
        return day

    def amount_cents(self) -> int:
        return to_cents(self.cleaned_data["amount"])


class AdjustmentForm(IdempotentForm):
    amount = forms.DecimalField(
        label=_("Amount ($)"),
        min_value=-MAX_DOLLARS,
        max_value=MAX_DOLLARS,
        decimal_places=2,
        help_text=_("Positive adds to what is owed; negative is a credit."),
    )
    effective_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    memo = forms.CharField(label=_("Why"), max_length=255)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("effective_on", timezone.localdate())

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount == 0:
            raise forms.ValidationError(_("An adjustment cannot be zero."))
        return amount

    def amount_cents(self) -> int:
        return to_cents(self.cleaned_data["amount"])


class ReversalForm(forms.Form):
    memo = forms.CharField(
        label=_("Why is this entry reversed?"),
        max_length=255,
        help_text=_("For example: check returned by the bank, posted to the wrong congregation."),
    )


class OtherIncomeForm(forms.ModelForm):
    amount = forms.DecimalField(
        label=_("Amount ($)"), min_value=Decimal("0.01"), max_value=MAX_DOLLARS, decimal_places=2
    )

    class Meta:
        model = OtherIncome
        fields = ["kind", "source", "donor", "received_on", "restricted", "restriction", "memo"]
        widgets = {"received_on": forms.DateInput(attrs={"type": "date"})}

    field_order = ["kind", "source", "donor", "amount", "received_on", "restricted"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = IncomeKind.choices
        # No preselected type: the admin says what kind of funder it is.
        choose = ("", _("Choose the type of funder"))
        self.fields["source"].choices = [choose, *IncomeSource.choices]
        if not self.is_bound:
            self.initial.setdefault("received_on", timezone.localdate())

    def clean(self):
        cleaned = super().clean()
        if "amount" in cleaned:
            self.instance.amount_cents = to_cents(cleaned["amount"])
        return cleaned
