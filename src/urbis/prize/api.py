"""REST endpoints of the prize. Applicants see their own applications only, evaluators
their own assignments only; results are public once published. Writes need a session."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import django_auth

from urbis.common.pagination import BoundedPageNumberPagination
from urbis.prize import domain, queries
from urbis.prize.models import Application, Assignment, Edition, PrizeCategory, Round

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


@router.get("/editions/{year}/results", response=list[AwardOut])
def results(request: HttpRequest, year: int) -> list[dict[str, Any]]:
    edition = get_object_or_404(Edition, year=year)
    if not edition.results_published and not request.user.has_perm("prize.manage_edition"):
        raise Http404("The results of this edition are not published yet.")
    rows = []
    for group in queries.results(edition):
        for row in group["awards"]:
            app = row["app"]
            rows.append(
                {
                    "award": row["kind"].name,
                    "category": group["title"],
                    "partner": row["kind"].partner,
                    "recipient": app.applicant_name,
                    "recipient_title": app.applicant_title,
                    "project": app.title,
                    "country": str(app.country or ""),
                }
            )
    return rows


@router.get("/applications", response=list[ApplicationOut], auth=django_auth)
@paginate(BoundedPageNumberPagination, page_size=50)
def application_list(request: HttpRequest, edition: int | None = None) -> Any:
    """Staff and EXCOM see every application; anyone else their own only."""
    if request.user.has_perm("prize.view_all_applications"):
        qs = Application.objects.select_related("edition", "category").order_by("reference")
    else:
        qs = queries.applications_of(request.user)
    if edition:
        qs = qs.filter(edition__year=edition)
    return qs


@router.get("/applications/{reference}", response=ApplicationOut, auth=django_auth)
def application_detail(request: HttpRequest, reference: str) -> Application:
    app = get_object_or_404(
        Application.objects.select_related("edition", "category"), reference=reference
    )
    if not request.user.has_perm("prize.view_application", app):
        raise Http404("No such application.")
    return app


@router.post("/applications", response={201: ApplicationOut}, auth=django_auth)
def application_create(request: HttpRequest, payload: ApplicationIn) -> Status:
    edition = get_object_or_404(Edition, year=payload.edition)
    category = get_object_or_404(PrizeCategory, edition=edition, code=payload.category)
    fields = payload.dict(exclude={"edition", "category", "submit"})
    try:
        app = domain.application_save_draft(
            actor=request.user, edition=edition, category=category, **fields
        )
        if payload.submit:
            app = domain.application_submit(actor=request.user, application=app)
    except ValidationError as exc:
        raise _errors(exc) from exc
    return Status(201, app)


@router.post("/applications/{reference}/submit", response=ApplicationOut, auth=django_auth)
def application_submit(request: HttpRequest, reference: str) -> Application:
    app = get_object_or_404(Application, reference=reference)
    if not request.user.has_perm("prize.view_application", app):
        raise Http404("No such application.")
    try:
        return domain.application_submit(actor=request.user, application=app)
    except ValidationError as exc:
        raise _errors(exc) from exc
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from exc


def _assignments(request: HttpRequest) -> Any:
    return queries.assignments_of(request.user).prefetch_related("scores__criterion")


@router.get("/assignments", response=list[AssignmentOut], auth=django_auth)
@paginate(BoundedPageNumberPagination, page_size=50)
def assignment_list(request: HttpRequest) -> Any:
    """The evaluator's own assignments, conflicted ones left out."""
    return _assignments(request)


@router.get("/assignments/{pk}", response=AssignmentOut, auth=django_auth)
def assignment_detail(request: HttpRequest, pk: int) -> Assignment:
    return get_object_or_404(_assignments(request), pk=pk)


@router.post("/assignments/{pk}/review", response=AssignmentOut, auth=django_auth)
def review_submit(request: HttpRequest, pk: int, payload: ReviewIn) -> Assignment:
    assignment = get_object_or_404(_assignments(request), pk=pk)
    try:
        domain.review_submit(
            actor=request.user,
            assignment=assignment,
            scores=payload.scores,
            comments=payload.comments,
            comment=payload.comment,
        )
    except ValidationError as exc:
        raise _errors(exc) from exc
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from exc
    return get_object_or_404(_assignments(request), pk=pk)


@router.post("/assignments/{pk}/conflict", response={204: None}, auth=django_auth)
def conflict_declare(request: HttpRequest, pk: int, payload: ConflictIn) -> Status:
    """The evaluator declares a conflict with an assigned application; the assignment
    goes (in an open round) and the application never comes back to them."""
    assignment = get_object_or_404(_assignments(request), pk=pk)
    try:
        domain.conflict_declare(
            actor=request.user,
            evaluator=assignment.evaluator,
            application=assignment.application,
            reason=payload.reason,
        )
    except ValidationError as exc:
        raise _errors(exc) from exc
    return Status(204, None)


@router.get(
    "/editions/{year}/rounds/{number}/ranking", response=list[RankingRowOut], auth=django_auth
)
def round_ranking(
    request: HttpRequest, year: int, number: int, method: str = ""
) -> list[dict[str, Any]]:
    if not request.user.has_perm("prize.view_all_applications"):
        raise HttpError(403, "Staff and EXCOM only.")
    round_ = get_object_or_404(Round, edition__year=year, number=number)
    try:
        rows = queries.ranking_rows(round_, method=method or None)
    except ValueError as exc:
        raise HttpError(422, str(exc)) from exc
    return [
        {
            "reference": r["application"].reference,
            "category": r["category"],
            "applicant": r["application"].applicant_name,
            "score": r["score"],
            "rank": r["rank"],
            "reviews": r["reviews"],
        }
        for r in rows
    ]


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


class CallPublishedOut(Schema):
    year: int
    call_published_at: dt.datetime
    queued: int


def _staff_round(request: HttpRequest, year: int, number: int) -> Round:
    if not request.user.has_perm("prize.manage_edition"):
        raise HttpError(403, "Only the secretariat may do this.")
    return get_object_or_404(
        Round.objects.select_related("edition"), edition__year=year, number=number
    )


@router.get("/editions/{year}/rounds/{number}/missing", response=list[MissingOut], auth=django_auth)
@paginate(BoundedPageNumberPagination, page_size=100)
def round_missing(request: HttpRequest, year: int, number: int) -> list[dict[str, Any]]:
    """The reviews a round still lacks, per application and evaluator ('' when the
    review is not even assigned)."""
    round_ = _staff_round(request, year, number)
    return [
        {"application": m.reference, "evaluator": m.evaluator, "assignment_id": m.assignment_id}
        for m in queries.round_missing(round_)
    ]


@router.post("/editions/{year}/rounds/{number}/close", response=RoundCloseOut, auth=django_auth)
def round_close(
    request: HttpRequest, year: int, number: int, payload: RoundCloseIn
) -> dict[str, Any]:
    """Close a round; refused (422, listing what is missing) unless every review is done
    or `force_reason` says why it closes anyway."""
    round_ = _staff_round(request, year, number)
    try:
        outcome = domain.round_close(
            actor=request.user, round_=round_, force_reason=payload.force_reason
        )
    except ValidationError as exc:
        raise _errors(exc) from exc
    round_.refresh_from_db()
    return {
        "round": round_.number,
        "status": round_.status,
        "close_reason": round_.close_reason,
        **outcome,
    }


@router.post("/editions/{year}/call/publish", response=CallPublishedOut, auth=django_auth)
def call_publish(request: HttpRequest, year: int) -> dict[str, Any]:
    """Publish the call for applications: the focal points of the members in good standing
    receive it by mail. Again: nothing is sent twice (`queued` is 0)."""
    if not request.user.has_perm("prize.manage_edition"):
        raise HttpError(403, "Only the secretariat may do this.")
    edition = get_object_or_404(Edition, year=year)
    try:
        ed, queued = domain.call_publish(actor=request.user, edition=edition)
    except ValidationError as exc:
        raise _errors(exc) from exc
    return {"year": ed.year, "call_published_at": ed.call_published_at, "queued": queued}


@router.post("/editions/{year}/results/publish", response=EditionStateOut, auth=django_auth)
def results_publish(request: HttpRequest, year: int, payload: PublishIn) -> Edition:
    """Publish the results: every award allocated and `confirm: true`."""
    if not request.user.has_perm("prize.manage_edition"):
        raise HttpError(403, "Only the secretariat may do this.")
    edition = get_object_or_404(Edition, year=year)
    try:
        return domain.results_publish(actor=request.user, edition=edition, confirm=payload.confirm)
    except ValidationError as exc:
        raise _errors(exc) from exc


@router.post("/editions/{year}/results/withdraw", response=EditionStateOut, auth=django_auth)
def results_withdraw(request: HttpRequest, year: int, payload: WithdrawIn) -> Edition:
    """Take published results off the public pages, with a reason."""
    if not request.user.has_perm("prize.manage_edition"):
        raise HttpError(403, "Only the secretariat may do this.")
    edition = get_object_or_404(Edition, year=year)
    try:
        return domain.results_withdraw(actor=request.user, edition=edition, reason=payload.reason)
    except ValidationError as exc:
        raise _errors(exc) from exc


@router.post("/assignments/{pk}/draft", response=AssignmentOut, auth=django_auth)
def review_draft(request: HttpRequest, pk: int, payload: DraftIn) -> Assignment:
    """Save a review without submitting it (scores may be partial)."""
    assignment = get_object_or_404(_assignments(request), pk=pk)
    try:
        domain.review_save_draft(
            actor=request.user,
            assignment=assignment,
            scores=payload.scores,
            comments=payload.comments,
            comment=payload.comment,
        )
    except ValidationError as exc:
        raise _errors(exc) from exc
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from exc
    return get_object_or_404(_assignments(request), pk=pk)


class ProgressOut(Schema):
    round: str
    deadline: dt.date
    status: str
    done: int
    total: int


@router.get("/my/progress", response=list[ProgressOut], auth=django_auth)
def my_progress(request: HttpRequest) -> list[dict[str, Any]]:
    """The evaluator's reviews done per round, with the round's deadline."""
    return queries.review_progress(request.user)


class BidsIn(Schema):
    expertise: list[str] = []
    bids: dict[str, str] = {}  # application reference -> eager | willing | not_willing | ""


class BidsOut(Schema):
    evaluator: int
    expertise: list[str]
    bids: dict[str, str]


@router.put("/editions/{year}/my/bids", response=BidsOut, auth=django_auth)
def bids_save(request: HttpRequest, year: int, payload: BidsIn) -> dict[str, Any]:
    """State one's expertise areas and bids on applications (by reference)."""
    edition = get_object_or_404(Edition, year=year)
    evaluator = queries.evaluator_for(request.user, edition)
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
    try:
        ev = domain.bids_save(
            actor=request.user,
            evaluator=evaluator,
            expertise=payload.expertise,
            bids={ids[ref]: level for ref, level in payload.bids.items()},
        )
    except ValidationError as exc:
        raise _errors(exc) from exc
    return {
        "evaluator": ev.pk,
        "expertise": ev.expertise,
        "bids": dict(ev.bids.values_list("application__reference", "level")),
    }


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


@router.get("/editions/{year}/conflicts", response=list[ConflictOut], auth=django_auth)
@paginate(BoundedPageNumberPagination, page_size=100)
def conflict_list(request: HttpRequest, year: int) -> Any:
    if not request.user.has_perm("prize.manage_edition"):
        raise HttpError(403, "Only the secretariat may do this.")
    return queries.conflicts_of(get_object_or_404(Edition, year=year))


@router.post("/conflicts/{pk}/waive", response=ConflictOut, auth=django_auth)
def conflict_waive(request: HttpRequest, pk: int, payload: WaiveIn) -> Any:
    """Staff waive an automatic conflict with a reason (audited)."""
    if not request.user.has_perm("prize.manage_edition"):
        raise HttpError(403, "Only the secretariat may do this.")
    from urbis.prize.models import Conflict

    conflict = get_object_or_404(Conflict.objects.select_related("application"), pk=pk)
    try:
        return domain.conflict_waive(actor=request.user, conflict=conflict, reason=payload.reason)
    except ValidationError as exc:
        raise _errors(exc) from exc
