"""Recording one payment of a member."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import File, Schema, Status
from ninja.files import UploadedFile

from urbis.common.actor import ACTOR_AUTH, permission_required
from urbis.common.errors import ErrorOut, error_body
from urbis.common.imports import upload_read
from urbis.dues.api.base import _actor, router
from urbis.dues.domain.ledger import payment_record, payments_import
from urbis.dues.models import Invoice
from urbis.dues.queries.invoicing import invoicing_policy
from urbis.dues.rules.payments import FieldError, parse_amount
from urbis.members.models import Organisation

# --- payments ---------------------------------------------------------------------------------


class PaymentIn(Schema):
    amount: str
    received_on: dt.date
    currency: str = "USD"
    method: str = ""
    reference: str = ""
    invoice: str = ""  # the invoice number it pays; empty: on account


class PaymentOut(Schema):
    id: int
    member: str
    invoice: str | None
    amount: Decimal
    currency: str
    received_on: dt.date
    reference: str
    method: str
    receipt_number: str


def _payer(request: HttpRequest, slug: str, **_: Any) -> Organisation:
    return get_object_or_404(Organisation, slug=slug[:200])


@router.post(
    "/members/{slug}/payments",
    response={
        201: PaymentOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    },
    auth=ACTOR_AUTH,
)
@permission_required("dues.manage_dues", obj=_payer)
def payment_create(request: HttpRequest, slug: str, payload: PaymentIn) -> Status:
    """Record a payment of a member (what the invoice's and the member's payment forms do):
    every field bounded, a reference already recorded is a conflict (409)."""
    org = _payer(request, slug)
    errors: dict[str, list[str]] = {}
    try:
        amount = parse_amount(payload.amount, ceiling=invoicing_policy().payment_ceiling)
    except FieldError as exc:
        errors["amount"] = [str(exc)]
    invoice = None
    if payload.invoice:
        invoice = Invoice.objects.filter(organisation=org, number=payload.invoice[:30]).first()
        if invoice is None:
            errors["invoice"] = [f"{org.name} has no invoice '{payload.invoice[:30]}'."]
    if errors:
        return Status(422, error_body("The payment was not recorded.", errors))
    try:
        payment = payment_record(
            actor=_actor(request),
            organisation=org,
            invoice=invoice,
            amount=amount,
            received_on=payload.received_on,
            currency=payload.currency,
            method=payload.method,
            reference=payload.reference,
        )
    except ValidationError as exc:
        already = any("already recorded" in m for m in exc.message_dict.get("reference", []))
        code = 409 if already else 422
        return Status(code, error_body("The payment was not recorded.", exc.message_dict))
    return Status(
        201,
        {
            "id": payment.pk,
            "member": org.slug,
            "invoice": invoice.number if invoice else None,
            "amount": payment.amount,
            "currency": payment.currency,
            "received_on": payment.received_on,
            "reference": payment.reference,
            "method": payment.method,
            "receipt_number": payment.receipt_number,
        },
    )


# --- a payments file ------------------------------------------------------------------------


class PaymentsImportOut(Schema):
    name: str
    summary: str
    payments: list[PaymentOut]


@router.post(
    "/payments/import",
    response={201: PaymentsImportOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    auth=ACTOR_AUTH,
)
@permission_required("dues.manage_dues")
def payments_import_op(request: HttpRequest, file: File[UploadedFile]) -> Status:
    """Import a payments file, CSV or XLSX (what the invoice list's import form does): all
    rows or none; 422 lists every bad row as `row N: column: reason` under `file`."""
    name, data = upload_read(file, default_name="payments.csv")
    try:
        result = payments_import(actor=_actor(request), data=data, name=name)
    except ValidationError as exc:
        return Status(
            422,
            error_body(
                f"{name}: {len(exc.messages)} error(s), nothing imported.",
                {"file": exc.messages},
            ),
        )
    return Status(
        201,
        {
            "name": name,
            "summary": result.summary,
            "payments": [
                {
                    "id": p.pk,
                    "member": p.organisation.slug,
                    "invoice": p.invoice.number if p.invoice else None,
                    "amount": p.amount,
                    "currency": p.currency,
                    "received_on": p.received_on,
                    "reference": p.reference,
                    "method": p.method,
                    "receipt_number": p.receipt_number,
                }
                for p in result.payments
            ],
        },
    )
