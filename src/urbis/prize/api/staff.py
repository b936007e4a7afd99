"""API for the secretariat and EXCOM: rankings, closing rounds, publishing results,
conflicts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from urbis.common.actor import ACTOR_AUTH, permission_required, request_actor
from urbis.common.pagination import BoundedPageNumberPagination
from urbis.prize import domain, queries
from urbis.prize.api.base import (
    ConflictOut,
    EditionStateOut,
    MissingOut,
    PublishIn,
    RankingRowOut,
    RoundCloseIn,
    RoundCloseOut,
    WaiveIn,
    WithdrawIn,
    router,
)
from urbis.prize.models import Application, Edition, Round


@router.get(
    "/editions/{year}/rounds/{number}/ranking", response=list[RankingRowOut], auth=ACTOR_AUTH
)
@permission_required("prize.view_all_applications")
def round_ranking(
    request: HttpRequest, year: int, number: int, method: str = ""
) -> list[dict[str, Any]]:
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


def _staff_round(year: int, number: int) -> Round:
    return get_object_or_404(
        Round.objects.select_related("edition"), edition__year=year, number=number
    )


@router.get("/editions/{year}/rounds/{number}/missing", response=list[MissingOut], auth=ACTOR_AUTH)
@paginate(BoundedPageNumberPagination, page_size=100)
@permission_required("prize.manage_edition")
def round_missing(request: HttpRequest, year: int, number: int) -> list[dict[str, Any]]:
    """The reviews a round still lacks, per application and evaluator ('' when the
    review is not even assigned)."""
    round_ = _staff_round(year, number)
    return [
        {"application": m.reference, "evaluator": m.evaluator, "assignment_id": m.assignment_id}
        for m in queries.round_missing(round_)
    ]


@router.post("/editions/{year}/rounds/{number}/close", response=RoundCloseOut, auth=ACTOR_AUTH)
@permission_required("prize.manage_edition")
def round_close(
    request: HttpRequest, year: int, number: int, payload: RoundCloseIn
) -> dict[str, Any]:
    """Close a round; refused (422, listing what is missing) unless every review is done
    or `force_reason` says why it closes anyway."""
    round_ = _staff_round(year, number)
    outcome = domain.round_close(
        actor=request_actor(request), round_=round_, force_reason=payload.force_reason
    )
    round_.refresh_from_db()
    return {
        "round": round_.number,
        "status": round_.status,
        "close_reason": round_.close_reason,
        **outcome,
    }


class CallPublishedOut(Schema):
    year: int
    call_published_at: dt.datetime
    queued: int


@router.post("/editions/{year}/call/publish", response=CallPublishedOut, auth=ACTOR_AUTH)
@permission_required("prize.manage_edition")
def call_publish(request: HttpRequest, year: int) -> dict[str, Any]:
    """Publish the call for applications: the focal points of the members in good standing
    receive it by mail. Again: nothing is sent twice (`queued` is 0)."""
    edition = get_object_or_404(Edition, year=year)
    ed, queued = domain.call_publish(actor=request_actor(request), edition=edition)
    return {"year": ed.year, "call_published_at": ed.call_published_at, "queued": queued}


@router.post("/editions/{year}/results/publish", response=EditionStateOut, auth=ACTOR_AUTH)
@permission_required("prize.manage_edition")
def results_publish(request: HttpRequest, year: int, payload: PublishIn) -> Edition:
    """Publish the results: every award allocated and `confirm: true`."""
    edition = get_object_or_404(Edition, year=year)
    return domain.results_publish(
        actor=request_actor(request), edition=edition, confirm=payload.confirm
    )


@router.post("/editions/{year}/results/withdraw", response=EditionStateOut, auth=ACTOR_AUTH)
@permission_required("prize.manage_edition")
def results_withdraw(request: HttpRequest, year: int, payload: WithdrawIn) -> Edition:
    """Take published results off the public pages, with a reason."""
    edition = get_object_or_404(Edition, year=year)
    return domain.results_withdraw(
        actor=request_actor(request), edition=edition, reason=payload.reason
    )


@router.get("/editions/{year}/conflicts", response=list[ConflictOut], auth=ACTOR_AUTH)
@paginate(BoundedPageNumberPagination, page_size=100)
@permission_required("prize.manage_edition")
def conflict_list(request: HttpRequest, year: int) -> Any:
    return queries.conflicts_of(get_object_or_404(Edition, year=year))


@router.post("/conflicts/{pk}/waive", response=ConflictOut, auth=ACTOR_AUTH)
@permission_required("prize.manage_edition")
def conflict_waive(request: HttpRequest, pk: int, payload: WaiveIn) -> Any:
    """Staff waive an automatic conflict with a reason (audited)."""
    from urbis.prize.models import Conflict

    conflict = get_object_or_404(Conflict.objects.select_related("application"), pk=pk)
    return domain.conflict_waive(
        actor=request_actor(request), conflict=conflict, reason=payload.reason
    )


class TriageIn(Schema):
    eligible: bool
    note: str = Field("", max_length=1000)


class TriageOut(Schema):
    reference: str
    status: str
    triage_note: str
    reached_round: int


@router.post("/applications/{reference}/triage", response=TriageOut, auth=ACTOR_AUTH)
@permission_required("prize.triage_application")
def application_triage(request: HttpRequest, reference: str, payload: TriageIn) -> Application:
    """The triage decision of the triage page: eligible (the application enters round 1) or
    not, with a note that is required when it is not (422 on `triage_note`)."""
    app = get_object_or_404(Application.objects.select_related("edition"), reference=reference)
    return domain.application_triage(
        actor=request_actor(request), application=app, eligible=payload.eligible, note=payload.note
    )


# The staff page's buttons (`views.staff.manage`), one operation each, calling the same
# domain function as the page's action.


class ConflictsDetectedOut(Schema):
    year: int
    detected: int


@router.post("/editions/{year}/conflicts/detect", response=ConflictsDetectedOut, auth=ACTOR_AUTH)
@permission_required("prize.manage_edition")
def conflicts_detect(request: HttpRequest, year: int) -> dict[str, Any]:
    """Record the automatic conflicts (same city, organisation or country) of every active
    evaluator with every application past the draft; `detected` counts the new ones."""
    edition = get_object_or_404(Edition, year=year)
    detected = domain.conflicts_detect(actor=request_actor(request), edition=edition)
    return {"year": edition.year, "detected": detected}


class RoundStateOut(Schema):
    id: int
    edition: int = Field(validation_alias="edition.year")
    number: int
    status: str


@router.post("/editions/{year}/rounds/{number}/open", response=RoundStateOut, auth=ACTOR_AUTH)
@permission_required("prize.manage_edition")
def round_open(request: HttpRequest, year: int, number: int) -> Round:
    """Open a planned round once the earlier ones are closed (422 on `status` otherwise)."""
    return domain.round_open(actor=request_actor(request), round_=_staff_round(year, number))


class AssignedOut(Schema):
    round: int
    assigned: int


@router.post("/editions/{year}/rounds/{number}/assign", response=AssignedOut, auth=ACTOR_AUTH)
@permission_required("prize.manage_edition")
def round_assign(request: HttpRequest, year: int, number: int) -> dict[str, Any]:
    """Assign evaluators to the round's applications (balanced, conflict-free, greatest
    fit); `assigned` counts the assignments. Refused (422 on `round`) when the round is
    closed or already assigned, or when no balanced assignment exists, saying why."""
    round_ = _staff_round(year, number)
    assigned = domain.assignments_generate(actor=request_actor(request), round_=round_)
    return {"round": round_.number, "assigned": assigned}


class AwardsAllocatedOut(Schema):
    year: int
    awards: dict[str, list[str]]  # award kind code -> application references, in order


@router.post("/editions/{year}/awards/allocate", response=AwardsAllocatedOut, auth=ACTOR_AUTH)
@permission_required("prize.manage_edition")
def awards_allocate(request: HttpRequest, year: int) -> dict[str, Any]:
    """Allocate the ranked awards from the closed final round's ranking, replacing an
    earlier allocation; refused once the results are published."""
    edition = get_object_or_404(Edition, year=year)
    allocation = domain.awards_allocate(actor=request_actor(request), edition=edition)
    ids = [pk for pks in allocation.values() for pk in pks]
    refs = dict(Application.objects.filter(pk__in=ids).values_list("pk", "reference"))
    return {
        "year": edition.year,
        "awards": {code: [refs[pk] for pk in pks] for code, pks in allocation.items()},
    }


class EditionSettingsIn(Schema):
    aggregation: str | None = None  # mean | median | trimmed | calibrated
    agreement_level: str | None = None  # nominal | ordinal | interval | ratio


class EditionSettingsOut(Schema):
    year: int
    aggregation: str
    agreement_level: str


@router.patch("/editions/{year}/settings", response=EditionSettingsOut, auth=ACTOR_AUTH)
@permission_required("prize.manage_edition")
def edition_settings(request: HttpRequest, year: int, payload: EditionSettingsIn) -> Edition:
    """The settings the round page changes: how the scores aggregate and the level of
    measurement of the agreement. A bad value is a 422 on its field and changes nothing."""
    edition = get_object_or_404(Edition, year=year)
    return domain.edition_settings_set(
        actor=request_actor(request),
        edition=edition,
        aggregation=payload.aggregation,
        agreement_level=payload.agreement_level,
    )
