"""Reads for the people doing the work: an applicant's applications, an evaluator's
assignments, progress, review workspace and bids, and the secretariat's triage and conflicts."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypedDict

from django.db.models import Count, Q, QuerySet

from urbis.prize.models import (
    Application,
    Assignment,
    Bid,
    Conflict,
    Criterion,
    Edition,
    Evaluator,
    SupportingDocument,
)
from urbis.prize.queries.rounds import leaf_criteria


def evaluator_for(user: Any, edition: Edition) -> Evaluator | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Evaluator.objects.filter(edition=edition, user=user).first()


def assignments_of(user: Any) -> QuerySet[Assignment]:
    """The user's own assignments, conflicted ones left out."""
    if not getattr(user, "is_authenticated", False):
        return Assignment.objects.none()
    from urbis.prize.models import Conflict

    conflicted = Conflict.objects.filter(evaluator__user=user, waived=False).values(
        "application_id"
    )
    return (
        Assignment.objects.filter(evaluator__user=user)
        .exclude(application_id__in=conflicted)
        .select_related("round", "application", "application__category", "evaluator")
        .order_by("round__number", "application__reference")
    )


def applications_of(user: Any) -> QuerySet[Application]:
    if not getattr(user, "is_authenticated", False):
        return Application.objects.none()
    return (
        Application.objects.filter(submitted_by=user)
        .select_related("edition", "category")
        .order_by("-edition__year", "reference")
    )


def triage_list(edition: Edition, *, status: str = "") -> QuerySet[Application]:
    qs = Application.objects.filter(edition=edition).select_related("category")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("reference")


class RoundProgress(TypedDict):
    """An evaluator's progress in one round: "7 of 12 done", and the round's deadline."""

    round: str
    deadline: dt.date
    status: str
    done: int
    total: int


def review_progress(user: Any) -> list[RoundProgress]:
    """Per round of the user's assignments: how many are done ("7 of 12 done") and the
    round's deadline (its closing date)."""
    rows = (
        assignments_of(user)
        .values("round_id", "round__name", "round__closes", "round__status", "round__number")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(submitted_at__isnull=False)),
        )
        .order_by("round__number")
    )
    return [
        {
            "round": r["round__name"],
            "deadline": r["round__closes"],
            "status": r["round__status"],
            "done": r["done"],
            "total": r["total"],
        }
        for r in rows
    ]


class RubricRow(TypedDict):
    criterion: Criterion
    weight: float  # the effective weight (product along the criterion's path)
    value: int | str  # "" when not scored yet
    comment: str
    levels: list[tuple[int, str]]  # each score on the scale with its meaning
    errors: list[str]  # the page's errors for this criterion, [] from here


class Identity(TypedDict):
    """Who applied, shown only in a round that is not blind."""

    name: str
    title: str
    city: str
    country: str
    kind: str


class ReviewWorkspace(TypedDict):
    application: Application
    blind: bool
    identity: Identity | None
    documents: list[SupportingDocument]
    rubric: list[RubricRow]
    comment: str
    has_draft: bool
    scale: list[int]
    deadline: dt.date


def review_workspace(assignment: Assignment) -> ReviewWorkspace:
    """What an evaluator needs to score one assignment: the application (identity hidden
    in a blind round), its documents, the rubric with each level's meaning, the current
    scores and comments (the draft, if any, over the submitted review)."""
    edition = assignment.round.edition
    app = assignment.application
    submitted = {s.criterion_id: s for s in assignment.scores.all()}
    draft = assignment.draft or {}
    scale = range(edition.scale_min, edition.scale_max + 1)
    rubric: list[RubricRow] = []
    for criterion, weight in leaf_criteria(edition):
        s = submitted.get(criterion.pk)
        value = draft.get("scores", {}).get(criterion.code, s.value if s else "")
        comment = draft.get("comments", {}).get(criterion.code, s.comment if s else "")
        levels = criterion.levels or {}
        rubric.append(
            {
                "criterion": criterion,
                "weight": weight,
                "value": value,
                "comment": comment,
                "levels": [(v, levels.get(str(v), "")) for v in scale],
                "errors": [],
            }
        )
    blind = assignment.round.blind
    return {
        "application": app,
        "blind": blind,
        "identity": None
        if blind
        else {
            "name": app.applicant_name,
            "title": app.applicant_title,
            "city": app.city,
            "country": str(getattr(app.country, "name", "")) if app.country else "",
            "kind": app.get_applicant_kind_display(),
        },
        "documents": list(app.documents.all()),
        "rubric": rubric,
        "comment": draft.get("comment", assignment.comment),
        "has_draft": bool(draft),
        "scale": list(scale),
        "deadline": assignment.round.closes,
    }


class BidRow(TypedDict):
    application: Application
    bid: str  # a Bid.Level value, or "" without a bid


def bidding(evaluator: Evaluator) -> list[BidRow]:
    """The edition's applications in the first round with the evaluator's bid, for the
    bidding page (the evaluator's own conflicts left out)."""
    bids = dict(Bid.objects.filter(evaluator=evaluator).values_list("application_id", "level"))
    conflicted = Conflict.objects.filter(evaluator=evaluator, waived=False).values("application_id")
    apps = (
        Application.objects.filter(
            edition_id=evaluator.edition_id, status=Application.Status.ELIGIBLE
        )
        .exclude(pk__in=conflicted)
        .select_related("category")
        .order_by("category__sort_order", "reference")
    )
    return [{"application": a, "bid": bids.get(a.pk, "")} for a in apps]


def conflicts_of(edition: Edition) -> QuerySet[Conflict]:
    """The edition's conflicts for the staff page, automatic ones first."""
    return (
        Conflict.objects.filter(evaluator__edition=edition)
        .select_related("evaluator", "application", "waived_by")
        .order_by("source", "evaluator__name", "application__reference")
    )
