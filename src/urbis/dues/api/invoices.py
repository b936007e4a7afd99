"""Issuing a fiscal year's invoices, and a credit note on one invoice."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from ninja import Schema, Status

from urbis.common.actor import ACTOR_AUTH, permission_required
from urbis.common.errors import ErrorOut, error_body
from urbis.dues.api.base import _actor, router
from urbis.dues.domain.ledger import invoices_issue
from urbis.dues.rules import payments as payment_rules
from urbis.members.queries import today

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
