"""The prize's API router, its schemas and the shared error wording."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from urbis.common.actor import Actor, actor_of
from urbis.prize.models import Application, Assignment


def request_actor(request: HttpRequest) -> Actor:
    """The request's actor, resolved by `ACTOR_AUTH` (a session or a token): every
    operation but the public results has one before its handler runs."""
    actor = actor_of(request)
    if actor is None:
        raise PermissionDenied("Sign in first.")
    return actor


router = Router(tags=["prize"])


class ApplicationOut(Schema):
    reference: str
    edition: int
    category: str
    status: str
    applicant_kind: str
    applicant_name: str
    applicant_title: str
    city: str
    country: str
    title: str
    summary: str
    submitted_at: dt.datetime | None

    @staticmethod
    def resolve_edition(obj: Application) -> int:
        return obj.edition.year

    @staticmethod
    def resolve_category(obj: Application) -> str:
        return obj.category.code

    @staticmethod
    def resolve_country(obj: Application) -> str:
        return str(obj.country or "")


class ApplicationIn(Schema):
    edition: int
    category: str
    applicant_kind: str
    applicant_name: str
    applicant_title: str = ""
    city: str = ""
    country: str = ""
    title: str = ""
    summary: str = ""
    contact_email: str = ""
    submit: bool = False


class AssignmentOut(Schema):
    id: int
    round: int
    status: str
    application: str
    title: str
    summary: str
    category: str
    scores: dict[str, int]
    comments: dict[str, str]
    comment: str
    draft: dict[str, Any] | None
    submitted_at: dt.datetime | None
    deadline: dt.date
    blind: bool
    applicant: str | None  # None in a blind round

    @staticmethod
    def resolve_comments(obj: Assignment) -> dict[str, str]:
        return {s.criterion.code: s.comment for s in obj.scores.all() if s.comment}

    @staticmethod
    def resolve_deadline(obj: Assignment) -> dt.date:
        return obj.round.closes

    @staticmethod
    def resolve_blind(obj: Assignment) -> bool:
        return obj.round.blind

    @staticmethod
    def resolve_applicant(obj: Assignment) -> str | None:
        return None if obj.round.blind else obj.application.applicant_name

    @staticmethod
    def resolve_round(obj: Assignment) -> int:
        return obj.round.number

    @staticmethod
    def resolve_status(obj: Assignment) -> str:
        return obj.round.status

    @staticmethod
    def resolve_application(obj: Assignment) -> str:
        return obj.application.reference

    @staticmethod
    def resolve_title(obj: Assignment) -> str:
        return obj.application.title

    @staticmethod
    def resolve_summary(obj: Assignment) -> str:
        return obj.application.summary

    @staticmethod
    def resolve_category(obj: Assignment) -> str:
        return obj.application.category.code

    @staticmethod
    def resolve_scores(obj: Assignment) -> dict[str, int]:
        return {s.criterion.code: s.value for s in obj.scores.all()}


class ReviewIn(Schema):
    scores: dict[str, int]
    comments: dict[str, str] = {}
    comment: str | None = None


class DraftIn(Schema):
    scores: dict[str, int] = {}
    comments: dict[str, str] = {}
    comment: str = ""


class ConflictIn(Schema):
    reason: str


class AwardOut(Schema):
    award: str
    category: str
    partner: str
    recipient: str
    recipient_title: str
    project: str
    country: str


class RankingRowOut(Schema):
    reference: str
    category: str
    applicant: str
    score: float | None
    rank: int
    reviews: int


def _errors(exc: ValidationError) -> HttpError:
    detail = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
    return HttpError(422, detail)


class MissingOut(Schema):
    application: str
    evaluator: str
    assignment_id: int | None


class RoundCloseIn(Schema):
    force_reason: str = ""


class RoundCloseOut(Schema):
    round: int
    status: str
    advanced: int
    missing: int
    close_reason: str


class PublishIn(Schema):
    confirm: bool = False


class WithdrawIn(Schema):
    reason: str


class EditionStateOut(Schema):
    year: int
    results_published: bool


class ProgressOut(Schema):
    round: str
    deadline: dt.date
    status: str
    done: int
    total: int


class BidsIn(Schema):
    expertise: list[str] = []
    bids: dict[str, str] = {}  # application reference -> eager | willing | not_willing | ""


class BidsOut(Schema):
    evaluator: int
    expertise: list[str]
    bids: dict[str, str]


class WaiveIn(Schema):
    reason: str


class ConflictOut(Schema):
    id: int
    evaluator: int
    application: str
    source: str
    reason: str
    waived: bool
    waiver_reason: str

    @staticmethod
    def resolve_evaluator(obj: Any) -> int:
        return int(obj.evaluator_id)

    @staticmethod
    def resolve_application(obj: Any) -> str:
        return str(obj.application.reference)
