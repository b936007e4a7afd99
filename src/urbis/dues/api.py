"""REST endpoints of dues and reviews: handlers parse, call one query or queue one job,
serialise."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth

from urbis.common.api import JobOut
from urbis.dues.domain.review import review_proposals_notify
from urbis.dues.jobs import review_apply_enqueue
from urbis.dues.queries.ledger import fee_for, ledger
from urbis.dues.queries.review import MIN_REVIEW_YEAR, review_preview
from urbis.dues.rules.fees import FeeError
from urbis.dues.rules.payments import FieldError, parse_fiscal_year
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


def _member(request: Any, slug: str) -> Organisation:
    org = get_object_or_404(Organisation, slug=slug)
    if not request.user.has_perm("dues.view_dues", org):
        raise HttpError(403, "Only the secretariat and the member's focal points see its dues.")
    return org


@router.get("/members/{slug}/fee", response=FeeOut, auth=django_auth)
def member_fee(request, slug: str, year: int):  # type: ignore[no-untyped-def]
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


@router.get("/members/{slug}/ledger", response=LedgerOut, auth=django_auth)
def member_ledger(request, slug: str):  # type: ignore[no-untyped-def]
    book = ledger(_member(request, slug), as_of=today())
    return {
        "member": book.organisation.slug,
        "balance": book.balance,
        "arrears": book.arrears,
        "illustrative": book.illustrative,
        "lines": book.lines,
    }


@router.get("/review", response=ReviewOut, auth=django_auth)
def review(request, as_of: dt.date):  # type: ignore[no-untyped-def]
    if not request.user.has_perm("dues.view_review"):
        raise HttpError(403, "Only the secretariat and EXCOM see reviews.")
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


@router.post("/review/apply", response={202: JobOut}, auth=django_auth)
def review_apply(request, payload: ReviewApplyIn):  # type: ignore[no-untyped-def]
    """Queue the approved proposals (organisation ids) of the review as of `as_of` for the
    task worker, under a decision; all or nothing. Poll the job (`GET /api/v1/jobs/{id}`)."""
    job = review_apply_enqueue(
        actor=request.user,
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


@router.post("/review/notify", response=ReviewNotifyOut, auth=django_auth)
def review_notify(request, payload: ReviewNotifyIn):  # type: ignore[no-untyped-def]
    """Tell each member concerned by a new proposal of the review as of `as_of` what it
    proposes, before the decision; a member already told is not told twice."""
    if payload.as_of.year < MIN_REVIEW_YEAR:
        raise HttpError(422, f"as_of: a review date must be in {MIN_REVIEW_YEAR} or later.")
    return {"members": review_proposals_notify(actor=request.user, as_of=payload.as_of)}


@router.get("/between-assemblies", response=BetweenAssembliesOut)
def membership_changes(  # type: ignore[no-untyped-def]
    request, start: dt.date, end: dt.date, basis: str = "approval"
):
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
