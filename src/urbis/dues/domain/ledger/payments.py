"""Payments: recording one payment of a member, with its receipt number."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from urbis.common.actor import Actor
from urbis.common.audit import audit_record, snapshot
from urbis.dues import mail
from urbis.dues.domain.documents import document_number_take
from urbis.dues.models import Invoice, Payment
from urbis.dues.queries.invoicing import invoicing_policy
from urbis.dues.rules import payments as payment_rules
from urbis.members import queries
from urbis.members.models import Organisation


def payment_record(
    *,
    actor: Actor,
    organisation: Organisation,
    amount: Decimal,
    received_on: dt.date,
    invoice: Invoice | None = None,
    reference: str = "",
    method: str = "",
    currency: str = "USD",
    illustrative: bool = False,
) -> Payment:
    """Record a payment (partial payments allowed); an invoice must be the member's own.
    Every field is bounded (`rules.payments`): amount up to the policy's ceiling, a date
    from 2000 to today, an ISO currency, a reference and method of reasonable length."""
    if amount <= 0:
        raise ValidationError({"amount": "A payment must be positive."})
    problems = {}
    ceiling = invoicing_policy().payment_ceiling
    if amount > ceiling or amount != amount.quantize(Decimal("0.01")):
        problems["amount"] = f"At most {ceiling:,.2f}, with at most two decimals."
    for name, check in (
        (
            "received_on",
            lambda: payment_rules.parse_received_on(received_on.isoformat(), today=queries.today()),
        ),
        ("currency", lambda: payment_rules.parse_currency(currency)),
        (
            "reference",
            lambda: payment_rules.parse_text(reference, limit=payment_rules.MAX_REFERENCE),
        ),
        ("method", lambda: payment_rules.parse_text(method, limit=payment_rules.MAX_METHOD)),
    ):
        try:
            check()
        except payment_rules.FieldError as exc:
            problems[name] = str(exc)
    if problems:
        raise ValidationError(problems)
    if invoice is not None and invoice.organisation_id != organisation.pk:
        raise ValidationError({"invoice": f"{invoice.number} is not {organisation.name}'s."})
    if invoice is not None and invoice.currency != currency:
        raise ValidationError({"currency": f"{invoice.number} is in {invoice.currency}."})
    with transaction.atomic():
        receipt = document_number_take(kind="receipt", fiscal_year=received_on.year)
        if reference and Payment.objects.filter(reference=reference).exists():
            raise ValidationError(
                {"reference": f"Payment '{reference}' is already recorded."}, code="conflict"
            )
        payment = Payment.objects.create(
            organisation=organisation,
            invoice=invoice,
            amount=amount,
            received_on=received_on,
            reference=reference,
            method=method,
            currency=currency,
            receipt_number=receipt,
            illustrative=illustrative,
        )
        audit_record(actor=actor, action="payment.record", target=payment, after=snapshot(payment))
        mail.documents_mail_later(payments=[payment])
    return payment
