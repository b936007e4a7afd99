"""Issuing a fiscal year's invoices, and a credit note on one invoice."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Schema, Status

from urbis.common.actor import ACTOR_AUTH, permission_required
from urbis.common.errors import ErrorOut, error_body
from urbis.dues.api.base import _actor, router
from urbis.dues.domain.ledger import credit_note_issue, invoices_issue
from urbis.dues.models import Invoice
from urbis.dues.queries.invoicing import invoicing_policy
from urbis.dues.rules import payments as payment_rules
from urbis.members.models import Organisation
from urbis.members.queries import today

REASON_LIMIT = 500  # the credit note form's reason field

# --- a fiscal year's invoices ---------------------------------------------------------------


class InvoicesIssueIn(Schema):
    year: int  # the fiscal year (Art. 19), from 2000 to next year


class IssuedInvoiceOut(Schema):
    id: int
    number: str
    member: str
    amount: Decimal
    currency: str
    due_on: dt.date


class NotPricedOut(Schema):
    id: int
    member: str
    reason: str


class InvoicesIssueOut(Schema):
    fiscal_year: int
    summary: str
    issued: int
    already_issued: int
    not_priced: int
    invoices: list[IssuedInvoiceOut]
    members_not_priced: list[NotPricedOut]


@router.post(
    "/invoices/issue",
    response={200: InvoicesIssueOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    auth=ACTOR_AUTH,
)
@permission_required("dues.manage_dues")
def invoices_issue_op(request: HttpRequest, payload: InvoicesIssueIn) -> Status:
    """Issue the fiscal year's invoices to every member in membership that has none yet
    (what the invoice list's form does): the counts, the invoices issued and every member
    that could not be priced, with the reason. Running it again issues only the missing."""
    try:
        year = payment_rules.parse_fiscal_year(str(payload.year), today=today())
    except payment_rules.FieldError as exc:
        return Status(422, error_body("No invoice was issued.", {"year": [str(exc)]}))
    result = invoices_issue(actor=_actor(request), fiscal_year=year)
    return Status(
        200,
        {
            "fiscal_year": result.fiscal_year,
            "summary": result.summary,
            "issued": len(result.created),
            "already_issued": result.existing,
            "not_priced": len(result.skipped),
            "invoices": [
                {
                    "id": invoice.pk,
                    "number": invoice.number,
                    "member": invoice.organisation.slug,
                    "amount": invoice.amount,
                    "currency": invoice.currency,
                    "due_on": invoice.due_on,
                }
                for invoice in result.created
            ],
            "members_not_priced": [
                {"id": org.pk, "member": org.slug, "reason": reason}
                for org, reason in result.skipped
            ],
        },
    )


# --- a credit note on one invoice -----------------------------------------------------------


class CreditNoteIn(Schema):
    amount: str
    issued_on: dt.date
    reason: str


class CreditNoteOut(Schema):
    id: int
    number: str
    invoice: str
    invoice_id: int
    member: str
    amount: Decimal
    currency: str
    issued_on: dt.date
    reason: str


def _invoice(request: HttpRequest, number: str) -> Invoice:
    """The invoice the URL names, by its number (404 if none)."""
    return get_object_or_404(Invoice.objects.select_related("organisation"), number=number[:30])


def _invoice_member(request: HttpRequest, number: str, **_: object) -> Organisation:
    """The member whose invoice the URL names: what `dues.manage_dues` is checked on."""
    return _invoice(request, number).organisation


@router.post(
    "/invoices/{number}/credit-notes",
    response={
        201: CreditNoteOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: ErrorOut,
    },
    auth=ACTOR_AUTH,
)
@permission_required("dues.manage_dues", obj=_invoice_member)
def credit_note_create(request: HttpRequest, number: str, payload: CreditNoteIn) -> Status:
    """Issue a credit note (partial or full) on the invoice with this number, with its reason
    (what the invoice page's form does): at most the invoice's open balance."""
    invoice = _invoice(request, number)
    errors: dict[str, list[str]] = {}
    try:
        amount = payment_rules.parse_amount(
            payload.amount, ceiling=invoicing_policy().payment_ceiling
        )
    except payment_rules.FieldError as exc:
        errors["amount"] = [str(exc)]
    try:
        reason = payment_rules.parse_text(payload.reason, limit=REASON_LIMIT)
    except payment_rules.FieldError as exc:
        errors["reason"] = [str(exc)]
    if errors:
        return Status(422, error_body("The credit note was not issued.", errors))
    try:
        note = credit_note_issue(
            actor=_actor(request),
            invoice=invoice,
            amount=amount,
            reason=reason,
            issued_on=payload.issued_on,
        )
    except ValidationError as exc:
        return Status(422, error_body("The credit note was not issued.", exc.message_dict))
    return Status(
        201,
        {
            "id": note.pk,
            "number": note.number,
            "invoice": invoice.number,
            "invoice_id": invoice.pk,
            "member": invoice.organisation.slug,
            "amount": note.amount,
            "currency": invoice.currency,
            "issued_on": note.issued_on,
            "reason": note.reason,
        },
    )
