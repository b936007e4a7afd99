"""The membership status review (preview, apply, notify) and the between-assemblies tables."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Schema, Status
from ninja.errors import HttpError

from urbis.common.actor import ACTOR_AUTH, permission_required
from urbis.common.api import JobOut
from urbis.common.errors import ErrorOut
from urbis.dues.api.base import _actor, router
from urbis.dues.domain.review import review_flag_record, review_proposals_notify
from urbis.dues.jobs import review_apply_enqueue
from urbis.dues.queries.review import MIN_REVIEW_YEAR, review_preview
from urbis.members.models import Organisation
from urbis.members.queries import today
from urbis.members.queries.between_assemblies import BASIS_LABEL, between_assemblies


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


# --- manual review reasons ------------------------------------------------------------------

FLAG_NOTE_LIMIT = 2000  # a sentence or two: the review page's note


class ReviewFlagIn(Schema):
    organisation: str  # the member's slug
    code: str  # ceased_to_exist, unreachable or other
    noted_on: dt.date | None = None  # today when left out, as on the page
    note: str = Field("", max_length=FLAG_NOTE_LIMIT)


class ReviewFlagOut(Schema):
    id: int
    organisation: str
    organisation_id: int
    code: str
    noted_on: dt.date
    note: str
    resolved_on: dt.date | None


@router.post(
    "/review/flags",
    response={
        201: ReviewFlagOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    },
    auth=ACTOR_AUTH,
)
@permission_required("dues.apply_review")
def review_flag_create(request: HttpRequest, payload: ReviewFlagIn) -> Status:
    """Note a manual reason for the status review of a member (what the review page's form
    does): an unknown code is 422 on `code`, a flag already open with this code 409."""
    org = get_object_or_404(Organisation, slug=payload.organisation[:200])
    flag = review_flag_record(
        actor=_actor(request),
        organisation=org,
        code=payload.code,
        noted_on=payload.noted_on or today(),
        note=payload.note,
    )
    return Status(
        201,
        {
            "id": flag.pk,
            "organisation": org.slug,
            "organisation_id": org.pk,
            "code": flag.code,
            "noted_on": flag.noted_on,
            "note": flag.note,
            "resolved_on": flag.resolved_on,
        },
    )
