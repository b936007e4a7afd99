"""Forms of dues pages: they parse with the bounds of `rules.payments`, the domain writes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms

from urbis.dues.rules import payments as payment_rules


class PaymentForm(forms.Form):
    amount = forms.CharField(max_length=32, help_text="e.g. 1,500.00")
    received_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    currency = forms.CharField(max_length=3, initial="USD")
    method = forms.CharField(max_length=payment_rules.MAX_METHOD, required=False)
    reference = forms.CharField(max_length=payment_rules.MAX_REFERENCE, required=False)

    def __init__(self, *args: object, ceiling: Decimal, today: dt.date, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.ceiling = ceiling
        self.today = today

    def clean_amount(self) -> Decimal:
        try:
            return payment_rules.parse_amount(self.cleaned_data["amount"], ceiling=self.ceiling)
        except payment_rules.FieldError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean_received_on(self) -> dt.date:
        on: dt.date = self.cleaned_data["received_on"]
        try:
            return payment_rules.parse_received_on(on.isoformat(), today=self.today)
        except payment_rules.FieldError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean_currency(self) -> str:
        try:
            return payment_rules.parse_currency(self.cleaned_data["currency"])
        except payment_rules.FieldError as exc:
            raise forms.ValidationError(str(exc)) from exc


class CreditNoteForm(forms.Form):
    amount = forms.CharField(max_length=32)
    issued_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: object, ceiling: Decimal, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.ceiling = ceiling

    def clean_amount(self) -> Decimal:
        try:
            return payment_rules.parse_amount(self.cleaned_data["amount"], ceiling=self.ceiling)
        except payment_rules.FieldError as exc:
            raise forms.ValidationError(str(exc)) from exc


class MemberPaymentForm(PaymentForm):
    """A payment recorded from the member's dues page: the invoice it pays, or on account."""

    invoice = forms.ChoiceField(required=False, label="Invoice paid")

    def __init__(self, *args: object, invoices: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        invoice = self.fields["invoice"]
        assert isinstance(invoice, forms.ChoiceField)
        invoice.choices = [("", "on account (no invoice)"), *invoices]
        self.order_fields(["invoice", "amount", "received_on", "currency", "method", "reference"])
