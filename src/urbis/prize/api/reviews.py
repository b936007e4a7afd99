"""API for evaluators: their assignments, reviews, drafts, conflicts, progress and bids."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from urbis.common.actor import ACTOR_AUTH, request_actor
from urbis.common.pagination import BoundedPageNumberPagination
from urbis.prize import domain, queries
from urbis.prize.api.base import (
    AssignmentOut,
    BidsIn,
    BidsOut,
    ConflictIn,
    DraftIn,
    ProgressOut,
    ReviewIn,
    router,
)
from urbis.prize.models import Application, Assignment, Edition


def _assignments(request: HttpRequest) -> QuerySet[Assignment]:
    return queries.assignments_of(request_actor(request).user).prefetch_related("scores__criterion")


def _to_score(request: HttpRequest, pk: int) -> Assignment:
    """One of the caller's assignments that the rule `prize.review_assignment` lets them score."""
    assignment = get_object_or_404(_assignments(request), pk=pk)
    if not request_actor(request).has_perm("prize.review_assignment", assignment):
        raise HttpError(403, "This assignment is not yours to score.")
    return assignment


@router.get("/assignments", response=list[AssignmentOut], auth=ACTOR_AUTH)
@paginate(BoundedPageNumberPagination, page_size=50)
def assignment_list(request: HttpRequest) -> Any:
    """The evaluator's own assignments, conflicted ones left out."""
    return _assignments(request)


@router.get("/assignments/{pk}", response=AssignmentOut, auth=ACTOR_AUTH)
def assignment_detail(request: HttpRequest, pk: int) -> Assignment:
    return get_object_or_404(_assignments(request), pk=pk)


def _reviewed(
    request: HttpRequest, pk: int, write: Callable[..., Assignment], payload: ReviewIn | DraftIn
) -> Assignment:
    """Submit or save a review of one of the caller's assignments (`write`, the domain
    function), and answer the assignment as it is now."""
    write(
        actor=request_actor(request),
        assignment=_to_score(request, pk),
        scores=payload.scores,
        comments=payload.comments,
        comment=payload.comment,
    )
    return get_object_or_404(_assignments(request), pk=pk)


@router.post("/assignments/{pk}/review", response=AssignmentOut, auth=ACTOR_AUTH)
def review_submit(request: HttpRequest, pk: int, payload: ReviewIn) -> Assignment:
    return _reviewed(request, pk, domain.review_submit, payload)


@router.post("/assignments/{pk}/conflict", response={204: None}, auth=ACTOR_AUTH)
def conflict_declare(request: HttpRequest, pk: int, payload: ConflictIn) -> Status:
    """The evaluator declares a conflict with an assigned application; the assignment
    goes (in an open round) and the application never comes back to them."""
    assignment = get_object_or_404(_assignments(request), pk=pk)
    domain.conflict_declare(
        actor=request_actor(request),
        evaluator=assignment.evaluator,
        application=assignment.application,
        reason=payload.reason,
    )
    return Status(204, None)


@router.post("/assignments/{pk}/draft", response=AssignmentOut, auth=ACTOR_AUTH)
def review_draft(request: HttpRequest, pk: int, payload: DraftIn) -> Assignment:
    """Save a review without submitting it (scores may be partial)."""
    return _reviewed(request, pk, domain.review_save_draft, payload)


@router.get("/my/progress", response=list[ProgressOut], auth=ACTOR_AUTH)
def my_progress(request: HttpRequest) -> list[queries.RoundProgress]:
    """The evaluator's reviews done per round, with the round's deadline."""
    return queries.review_progress(request_actor(request).user)


@router.put("/editions/{year}/my/bids", response=BidsOut, auth=ACTOR_AUTH)
def bids_save(request: HttpRequest, year: int, payload: BidsIn) -> dict[str, Any]:
    """State one's expertise areas and bids on applications (by reference)."""
    edition = get_object_or_404(Edition, year=year)
    evaluator = queries.evaluator_for(request_actor(request).user, edition)
    if evaluator is None:
        raise HttpError(403, "You are not an evaluator of this edition.")
    ids = dict(
        Application.objects.filter(edition=edition, reference__in=list(payload.bids)).values_list(
            "reference", "pk"
        )
    )
    unknown = sorted(set(payload.bids) - set(ids))
    if unknown:
        raise HttpError(422, f"bids: no application {', '.join(unknown)} in {edition.year}.")
    ev = domain.bids_save(
        actor=request_actor(request),
        evaluator=evaluator,
        expertise=payload.expertise,
        bids={ids[ref]: level for ref, level in payload.bids.items()},
    )
    return {
        "evaluator": ev.pk,
        "expertise": ev.expertise,
        "bids": dict(ev.bids.values_list("application__reference", "level")),
    }
