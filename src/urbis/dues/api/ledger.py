"""A member's fee and ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from ninja import Schema
from ninja.errors import HttpError

from urbis.common.actor import ACTOR_AUTH, permission_required
from urbis.dues.api.base import _member, router
from urbis.dues.queries.ledger import fee_for, ledger
from urbis.dues.rules.fees import FeeError
from urbis.dues.rules.payments import FieldError, parse_fiscal_year
from urbis.members.queries import today


class FeeOut(Schema):
    member: str
    fiscal_year: int
    amount: Decimal
    currency: str
    schedule: str
    band: int
    explanation: str
    example: bool


class LedgerLineOut(Schema):
    on: dt.date
    kind: str
    reference: str
    description: str
    debit: Decimal
    credit: Decimal
    balance: Decimal
    illustrative: bool


class LedgerOut(Schema):
    member: str
    balance: Decimal
    arrears: Decimal
    illustrative: bool
    lines: list[LedgerLineOut]


@router.get("/members/{slug}/fee", response=FeeOut, auth=ACTOR_AUTH)
@permission_required("dues.view_dues", obj=_member)
def member_fee(request: HttpRequest, slug: str, year: int) -> dict[str, object]:
    org = _member(request, slug)
    try:
        parse_fiscal_year(str(year), today=today())
    except FieldError as exc:
        raise HttpError(422, f"year: {exc}") from exc
    try:
        fee = fee_for(org, year)
    except FeeError as exc:
        raise HttpError(422, str(exc)) from exc
    return {
        "member": org.slug,
        "fiscal_year": year,
        "amount": fee.amount,
        "currency": fee.currency,
        "schedule": fee.schedule_code,
        "band": fee.band,
        "explanation": fee.explanation,
        "example": fee.example,
    }


@router.get("/members/{slug}/ledger", response=LedgerOut, auth=ACTOR_AUTH)
@permission_required("dues.view_dues", obj=_member)
def member_ledger(request: HttpRequest, slug: str) -> dict[str, object]:
    book = ledger(_member(request, slug), as_of=today())
    return {
        "member": book.organisation.slug,
        "balance": book.balance,
        "arrears": book.arrears,
        "illustrative": book.illustrative,
        "lines": book.lines,
    }
