"""The prize's API router and its schemas. Errors take the API's one error body: a domain
ValidationError answers 422 and a PermissionDenied 403 through `config.api`'s handlers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Router, Schema

from urbis.prize.models import Application, Assignment

router = Router(tags=["prize"])


class ApplicationOut(Schema):
    reference: str
    edition: int = Field(validation_alias="edition.year")
    category: str = Field(validation_alias="category.code")
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


class ApplicationPatchIn(Schema):
    """A draft's fields to change; those left out keep their value."""

    category: str | None = None  # a category code of the application's edition
    applicant_kind: str | None = None
    applicant_name: str | None = None
    applicant_title: str | None = None
    city: str | None = None
    country: str | None = None
    title: str | None = None
    summary: str | None = None
    contact_email: str | None = None


class AssignmentOut(Schema):
    id: int
    round: int = Field(validation_alias="round.number")
    status: str = Field(validation_alias="round.status")
    application: str = Field(validation_alias="application.reference")
    title: str = Field(validation_alias="application.title")
    summary: str = Field(validation_alias="application.summary")
    category: str = Field(validation_alias="application.category.code")
    scores: dict[str, int]
    comments: dict[str, str]
    comment: str
    draft: dict[str, Any] | None
    submitted_at: dt.datetime | None
    deadline: dt.date = Field(validation_alias="round.closes")
    blind: bool = Field(validation_alias="round.blind")
    applicant: str | None  # None in a blind round

    @staticmethod
    def resolve_comments(obj: Assignment) -> dict[str, str]:
        return {s.criterion.code: s.comment for s in obj.scores.all() if s.comment}

    @staticmethod
    def resolve_applicant(obj: Assignment) -> str | None:
        return None if obj.round.blind else obj.application.applicant_name

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
    evaluator: int = Field(validation_alias="evaluator_id")
    application: str = Field(validation_alias="application.reference")
    source: str
    reason: str
    waived: bool
    waiver_reason: str
