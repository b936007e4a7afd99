"""REST endpoints of dues and reviews: handlers parse, call one query or queue one job,
serialise."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import File, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from urbis.common.actor import ACTOR_AUTH, Actor, actor_of, permission_required
from urbis.common.api import JobOut
from urbis.common.errors import ErrorOut, error_body
from urbis.dues.domain.ledger import payment_record
from urbis.dues.domain.review import review_proposals_notify
from urbis.dues.domain.statements import statement_import
from urbis.dues.jobs import review_apply_enqueue
from urbis.dues.models import Invoice
from urbis.dues.queries.invoicing import invoicing_policy
from urbis.dues.queries.ledger import fee_for, ledger
from urbis.dues.queries.review import MIN_REVIEW_YEAR, review_preview
from urbis.dues.queries.statements import (
    MAX_BYTES,
    StatementPreview,
    StatementRow,
    statement_preview,
)
from urbis.dues.rules.fees import FeeError
from urbis.dues.rules.payments import FieldError, parse_amount, parse_fiscal_year
from urbis.members.models import Organisation
from urbis.members.queries import today
from urbis.members.queries.between_assemblies import BASIS_LABEL, between_assemblies

router = Router(tags=["dues"])


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


class ProposalOut(Schema):
    organisation: str
    category: str
    state: str
    propose: str
    rule: str
    reason: str
    evidence: dict[str, Any]
    recorded_on: dt.date | None
    recorded_decision: str


class ReviewOut(Schema):
    as_of: dt.date
    new: int
    proposals: list[ProposalOut]


class EntryOut(Schema):
    name: str
    category: str
    country: str
    date: dt.date
    reason: str
    decision_ref: str
    approved_on: dt.date | None


class SectionOut(Schema):
    count: int
    by_category: dict[str, int]
    entries: list[EntryOut]


class BetweenAssembliesOut(Schema):
    start: dt.date
    end: dt.date
    basis: str
    basis_label: str
    new_by_year: list[dict[str, int]]
    new_members: SectionOut
    withdrawals: SectionOut
    suspensions: SectionOut
    terminations: SectionOut


def _actor(request: HttpRequest) -> Actor:
    """The caller `ACTOR_AUTH` resolved and `@permission_required` authorised."""
    actor = actor_of(request)
    assert actor is not None  # the operation's auth answered 401 without one
    return actor


def _member(request: HttpRequest, slug: str, **_: object) -> Organisation:
    """The member whose dues the URL names: what `dues.view_dues` is checked on."""
    return get_object_or_404(Organisation, slug=slug[:200])


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


@router.get("/review", response=ReviewOut, auth=ACTOR_AUTH)
@permission_required("dues.view_review")
def review(request: HttpRequest, as_of: dt.date) -> dict[str, object]:
    if as_of.year < MIN_REVIEW_YEAR:  # the review looks years back from this date
        raise HttpError(422, f"as_of: a review date must be in {MIN_REVIEW_YEAR} or later.")
    preview = review_preview(as_of=as_of)
    return {
        "as_of": as_of,
        "new": len(preview.new),
        "proposals": [
            {
                "organisation": i.proposal.name,
                "category": i.proposal.category,
                "state": i.proposal.state.value,
                "propose": i.proposal.propose.value,
                "rule": i.proposal.rule,
                "reason": i.proposal.reason,
                "evidence": i.proposal.evidence,
                "recorded_on": i.recorded.date if i.recorded else None,
                "recorded_decision": i.recorded.decision_ref if i.recorded else "",
            }
            for i in preview.items
        ],
    }


class ReviewApplyIn(Schema):
    as_of: dt.date
    decision_ref: str
    decided_on: dt.date
    approved: list[int]


@router.post("/review/apply", response={202: JobOut}, auth=ACTOR_AUTH)
@permission_required("dues.apply_review")
def review_apply(request: HttpRequest, payload: ReviewApplyIn) -> Status:
    """Queue the approved proposals (organisation ids) of the review as of `as_of` for the
    task worker, under a decision; all or nothing. Poll the job (`GET /api/v1/jobs/{id}`)."""
    job = review_apply_enqueue(
        actor=_actor(request),
        as_of=payload.as_of,
        decision_ref=payload.decision_ref,
        decided_on=payload.decided_on,
        approved=payload.approved,
    )
    return Status(202, job)


class ReviewNotifyIn(Schema):
    as_of: dt.date


class ReviewNotifyOut(Schema):
    members: int


@router.post("/review/notify", response=ReviewNotifyOut, auth=ACTOR_AUTH)
@permission_required("dues.apply_review")
def review_notify(request: HttpRequest, payload: ReviewNotifyIn) -> dict[str, int]:
    """Tell each member concerned by a new proposal of the review as of `as_of` what it
    proposes, before the decision; a member already told is not told twice."""
    if payload.as_of.year < MIN_REVIEW_YEAR:
        raise HttpError(422, f"as_of: a review date must be in {MIN_REVIEW_YEAR} or later.")
    return {"members": review_proposals_notify(actor=_actor(request), as_of=payload.as_of)}


@router.get("/between-assemblies", response=BetweenAssembliesOut)
def membership_changes(
    request: HttpRequest, start: dt.date, end: dt.date, basis: str = "approval"
) -> dict[str, object]:
    if basis not in BASIS_LABEL:
        raise HttpError(422, f"basis must be one of {', '.join(BASIS_LABEL)}")
    report = between_assemblies(start=start, end=end, basis=basis)  # type: ignore[arg-type]
    sections = {
        s.key: {"count": s.count, "by_category": s.by_category, "entries": s.entries}
        for s in report.sections
    }
    return {
        "start": report.start,
        "end": report.end,
        "basis": report.basis,
        "basis_label": report.basis_label,
        "new_by_year": report.new_by_year,
        **sections,
    }


# --- bank statements ------------------------------------------------------------------------


class StatementRowOut(Schema):
    row: int
    received_on: dt.date
    amount: Decimal
    currency: str
    reference: str
    transaction: str
    match: str
    invoices: list[str]
    note: str


class StatementOut(Schema):
    name: str
    summary: str
    matched: list[StatementRowOut]
    unmatched: list[StatementRowOut]
    ambiguous: list[StatementRowOut]
    recorded: list[StatementRowOut]
    errors: list[str]


class StatementImportOut(Schema):
    summary: str
    receipts: list[str]
    statement: StatementOut


def _statement_body(preview: StatementPreview) -> dict[str, Any]:
    def rows(items: list[StatementRow]) -> list[dict[str, Any]]:
        return [
            {
                "row": r.row,
                "received_on": r.received_on,
                "amount": r.amount,
                "currency": r.currency,
                "reference": r.reference,
                "transaction": r.key,
                "match": str(r.match),
                "invoices": r.invoices,
                "note": r.note,
            }
            for r in items
        ]

    return {
        "name": preview.name,
        "summary": preview.summary,
        "matched": rows(preview.matched),
        "unmatched": rows(preview.unmatched),
        "ambiguous": rows(preview.ambiguous),
        "recorded": rows(preview.recorded),
        "errors": [str(e) for e in preview.errors],
    }


@router.post(
    "/statements/preview",
    response={200: StatementOut, 401: ErrorOut, 403: ErrorOut, 422: StatementOut | ErrorOut},
    auth=ACTOR_AUTH,
)
@permission_required("dues.manage_dues")
def statement_preview_op(request: HttpRequest, file: File[UploadedFile]) -> Status:
    """What importing this statement (CSV or XLSX) would record: matched, unmatched and
    ambiguous rows, rows already recorded, and every malformed row (422). Writes nothing."""
    preview = statement_preview(file.read(MAX_BYTES + 1), name=file.name or "statement.csv")
    return Status(422 if preview.errors else 200, _statement_body(preview))


@router.post(
    "/statements",
    response={201: StatementImportOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    auth=ACTOR_AUTH,
)
@permission_required("dues.manage_dues")
def statement_import_op(request: HttpRequest, file: File[UploadedFile]) -> Status:
    """Record the matched rows of a statement as payments (with receipts), in one
    transaction; unmatched and ambiguous rows are answered, not recorded. A malformed row
    writes nothing: 422 lists every `row N: column: reason`."""
    try:
        result = statement_import(
            data=file.read(MAX_BYTES + 1),
            name=file.name or "statement.csv",
            actor=_actor(request),
        )
    except ValidationError as exc:
        return Status(422, error_body("The statement was not imported.", {"file": exc.messages}))
    return Status(
        201,
        {
            "summary": result.summary,
            "receipts": [p.receipt_number for p in result.payments],
            "statement": _statement_body(result.preview),
        },
    )


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
