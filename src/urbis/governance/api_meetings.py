"""REST endpoints to prepare, run and minute a meeting: meetings, agenda items, candidates,
delegates, the attendance register, the lifecycle and errata.

Handlers parse, call one domain or query function, serialise; writes need
`governance.run_meeting`, checked at the edge (`ACTOR_AUTH`, `@permission_required`). Every
output carries its `id`; lists are paginated. A write to a concluded meeting's record is a
409 with the reason (`MeetingClosedError` is a `Conflict`); any other refused input a 422
naming the field.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router, Schema, Status
from ninja.pagination import paginate

from urbis.common.actor import ACTOR_AUTH, Actor, actor_of, permission_required
from urbis.common.errors import Conflict
from urbis.common.inputs import MAX_DATE, MAX_ID, MIN_DATE
from urbis.common.pagination import BoundedPageNumberPagination
from urbis.events.models import Session
from urbis.governance import domain, queries
from urbis.governance.models import AgendaItem, Candidate, Delegate, Erratum, Meeting
from urbis.members.models import Organisation

router = Router(tags=["governance: meetings"])

# An id in the path: out of range is a 422 naming it, never a database overflow.
_ID = Path(..., ge=1, le=MAX_ID)


RUN = "governance.run_meeting"  # every write of this module


def _actor(request: HttpRequest) -> Actor:
    """The actor `ACTOR_AUTH` resolved and `@permission_required` allowed."""
    actor = actor_of(request)
    assert actor is not None
    return actor


class MeetingIn(Schema):
    body: str | None = None
    title: str | None = None
    number: int | None = None
    date: dt.date | None = None
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    time_zone: str | None = None
    time_zone_label: str | None = None
    convocation_date: dt.date | None = None
    venue: str | None = None
    online_platform: str | None = None
    host_id: int | None = None
    host_label: str | None = None
    chair: str | None = None
    moderators: list[str] | None = None
    representatives: list[str] | None = None
    language: str | None = None
    interpretation: str | None = None
    summary: str | None = None
    closing: str | None = None
    session_id: int | None = None


class MeetingCreateIn(MeetingIn):
    slug: str


class MeetingOut(Schema):
    id: int
    slug: str
    body: str
    title: str
    number: int | None
    status: str
    date: dt.date
    start_time: dt.time | None
    end_time: dt.time | None
    time_zone: str
    convocation_date: dt.date
    convocation_notice: str
    venue: str
    online_platform: str
    host_id: int | None
    chair: str
    language: str
    session_id: int | None
    concluded_at: dt.datetime | None
    minutes_approved_on: dt.date | None
    minutes_approved_by_id: int | None
    published_at: dt.datetime | None


def _meeting_fields(payload: MeetingIn) -> dict[str, Any]:
    fields = payload.dict(exclude_unset=True)
    fields.pop("slug", None)
    if "host_id" in fields:
        host_id = fields.pop("host_id")
        fields["host"] = get_object_or_404(Organisation, pk=host_id) if host_id else None
    if "session_id" in fields:
        session_id = fields.pop("session_id")
        fields["session"] = get_object_or_404(Session, pk=session_id) if session_id else None
    return fields


@router.get("/meetings", response=list[MeetingOut])
@paginate(BoundedPageNumberPagination, page_size=50)
def meeting_list(
    request: HttpRequest,
    body: str = Query("", max_length=20),
    status: str = Query("", max_length=20),
    year: int | None = Query(None, ge=MIN_DATE.year, le=MAX_DATE.year),
) -> QuerySet[Meeting]:
    """Meetings, latest first; filter by body (ga, excom), status and year."""
    return queries.meetings(body=body, status=status, year=year)


@router.post("/meetings", response={201: MeetingOut}, auth=ACTOR_AUTH)
@permission_required(RUN)
def meeting_create(request: HttpRequest, payload: MeetingCreateIn) -> Any:
    if Meeting.objects.filter(slug=payload.slug).exists():
        raise Conflict({"slug": [f"A meeting '{payload.slug}' exists already."]})
    meeting = domain.meeting_save(
        actor=_actor(request), slug=payload.slug, **_meeting_fields(payload)
    )
    return Status(201, meeting)


@router.get("/meetings/{slug}", response=MeetingOut)
def meeting_detail(request: HttpRequest, slug: str) -> Meeting:
    return get_object_or_404(Meeting, slug=slug)


@router.patch("/meetings/{slug}", response=MeetingOut, auth=ACTOR_AUTH)
@permission_required(RUN)
def meeting_update(request: HttpRequest, slug: str, payload: MeetingIn) -> Meeting:
    get_object_or_404(Meeting, slug=slug)
    fields = _meeting_fields(payload)
    return domain.meeting_save(actor=_actor(request), slug=slug, **fields)


@router.delete("/meetings/{slug}", response={204: None}, auth=ACTOR_AUTH)
@permission_required(RUN)
def meeting_delete(request: HttpRequest, slug: str) -> Any:
    meeting = get_object_or_404(Meeting, slug=slug)
    domain.meeting_delete(actor=_actor(request), meeting=meeting)
    return Status(204, None)


class ConveneIn(Schema):
    convocation_date: dt.date
    notice: str


class ApproveIn(Schema):
    approved_by_item_id: int


@router.post("/meetings/{slug}/convene", response=MeetingOut, auth=ACTOR_AUTH)
@permission_required(RUN)
def meeting_convene(request: HttpRequest, slug: str, payload: ConveneIn) -> Meeting:
    """Convene a draft meeting: the registry on the convocation date fixes the electorate."""
    meeting = get_object_or_404(Meeting, slug=slug)
    return domain.meeting_convene(
        actor=_actor(request),
        meeting=meeting,
        convocation_date=payload.convocation_date,
        notice=payload.notice,
    )


@router.post("/meetings/{slug}/open", response=MeetingOut, auth=ACTOR_AUTH)
@permission_required(RUN)
def meeting_open(request: HttpRequest, slug: str) -> Meeting:
    return domain.meeting_open(actor=_actor(request), meeting=get_object_or_404(Meeting, slug=slug))


@router.post("/meetings/{slug}/conclude", response=MeetingOut, auth=ACTOR_AUTH)
@permission_required(RUN)
def meeting_conclude(request: HttpRequest, slug: str) -> Meeting:
    """Conclude: attendance, votes and decisions become read-only (409 afterwards)."""
    meeting = get_object_or_404(Meeting, slug=slug)
    return domain.meeting_conclude(actor=_actor(request), meeting=meeting)


@router.post("/meetings/{slug}/minutes/approve", response=MeetingOut, auth=ACTOR_AUTH)
@permission_required(RUN)
def minutes_approve(request: HttpRequest, slug: str, payload: ApproveIn) -> Meeting:
    """The minutes are approved by an adopted item of a later meeting."""
    meeting = get_object_or_404(Meeting, slug=slug)
    item = get_object_or_404(AgendaItem, pk=payload.approved_by_item_id)
    return domain.minutes_approve(actor=_actor(request), meeting=meeting, approved_by=item)


@router.post("/meetings/{slug}/minutes/publish", response=MeetingOut, auth=ACTOR_AUTH)
@permission_required(RUN)
def minutes_publish(request: HttpRequest, slug: str) -> Meeting:
    meeting = get_object_or_404(Meeting, slug=slug)
    return domain.minutes_publish(actor=_actor(request), meeting=meeting)


class ErratumIn(Schema):
    on: dt.date
    subject: str
    correction: str
    reason: str


class ErratumOut(Schema):
    id: int
    meeting_id: int
    on: dt.date
    subject: str
    correction: str
    reason: str
    recorded_at: dt.datetime


@router.get("/meetings/{slug}/errata", response=list[ErratumOut])
@paginate(BoundedPageNumberPagination, page_size=50)
def errata(request: HttpRequest, slug: str) -> QuerySet[Erratum]:
    return get_object_or_404(Meeting, slug=slug).errata.order_by("on", "id")


@router.post("/meetings/{slug}/errata", response={201: ErratumOut}, auth=ACTOR_AUTH)
@permission_required(RUN)
def erratum_record(request: HttpRequest, slug: str, payload: ErratumIn) -> Any:
    """A dated, reasoned correction of a concluded meeting, shown in its memorandum."""
    meeting = get_object_or_404(Meeting, slug=slug)
    return Status(
        201, domain.erratum_record(actor=_actor(request), meeting=meeting, **payload.dict())
    )


class ItemIn(Schema):
    title: str | None = None
    kind: str | None = None
    starts_at: dt.time | None = None
    ends_at: dt.time | None = None
    article: str | None = None
    method: str | None = None
    summary: str | None = None
    office: str | None = None
    term_start: dt.date | None = None
    term_end: dt.date | None = None
    call_for_candidates_on: dt.date | None = None
    hosts_meeting: str | None = None
    membership_review_ref: str | None = None
    membership_review_as_of: dt.date | None = None


class ItemCreateIn(ItemIn):
    number: int
    title: str
    kind: str


class ItemOut(Schema):
    id: int
    meeting_id: int
    number: int
    title: str
    kind: str
    article: str
    method: str
    summary: str
    office: str
    term_start: dt.date | None
    term_end: dt.date | None
    call_for_candidates_on: dt.date | None
    hosts_meeting: str
    membership_review_ref: str
    membership_review_as_of: dt.date | None
    starts_at: dt.time | None
    ends_at: dt.time | None
    decided: bool

    @staticmethod
    def resolve_decided(obj: AgendaItem) -> bool:
        return hasattr(obj, "decision")


def _item_fields(payload: ItemIn) -> dict[str, Any]:
    fields = payload.dict(exclude_unset=True)
    fields.pop("number", None)
    return {k: ("" if v is None and k in _TEXT_ITEM_FIELDS else v) for k, v in fields.items()}


_TEXT_ITEM_FIELDS = {"article", "summary", "office", "hosts_meeting", "membership_review_ref"}


@router.get("/meetings/{slug}/items", response=list[ItemOut])
@paginate(BoundedPageNumberPagination, page_size=100)
def item_list(
    request: HttpRequest, slug: str, kind: str = Query("", max_length=20)
) -> QuerySet[AgendaItem]:
    meeting = get_object_or_404(Meeting, slug=slug)
    qs = AgendaItem.objects.filter(meeting=meeting).select_related("decision")
    return qs.filter(kind=kind) if kind else qs.order_by("number")


@router.post("/meetings/{slug}/items", response={201: ItemOut}, auth=ACTOR_AUTH)
@permission_required(RUN)
def item_create(request: HttpRequest, slug: str, payload: ItemCreateIn) -> Any:
    meeting = get_object_or_404(Meeting, slug=slug)
    if AgendaItem.objects.filter(meeting=meeting, number=payload.number).exists():
        raise Conflict({"number": [f"{meeting} has an agenda item {payload.number} already."]})
    fields = _item_fields(payload)
    item = domain.agenda_item_save(
        actor=_actor(request), meeting=meeting, number=payload.number, **fields
    )
    return Status(201, item)


@router.get("/items/{item_id}", response=ItemOut)
def item_detail(request: HttpRequest, item_id: int = _ID) -> AgendaItem:
    return get_object_or_404(AgendaItem.objects.select_related("decision"), pk=item_id)


@router.patch("/items/{item_id}", response=ItemOut, auth=ACTOR_AUTH)
@permission_required(RUN)
def item_update(request: HttpRequest, payload: ItemIn, item_id: int = _ID) -> AgendaItem:
    item = get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=item_id)
    fields = _item_fields(payload)
    return domain.agenda_item_save(
        actor=_actor(request), meeting=item.meeting, number=item.number, **fields
    )


@router.delete("/items/{item_id}", response={204: None}, auth=ACTOR_AUTH)
@permission_required(RUN)
def item_delete(request: HttpRequest, item_id: int = _ID) -> Any:
    item = get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=item_id)
    domain.agenda_item_delete(actor=_actor(request), item=item)
    return Status(204, None)


class CandidateIn(Schema):
    organisation_id: int
    label: str = ""
    nominated_on: dt.date | None = None
    nominated_by: str = ""
    appointed_by: str = ""
    order: int = 0


class CandidateOut(Schema):
    id: int
    agenda_item_id: int
    organisation_id: int
    organisation: str
    label: str
    nominated_on: dt.date | None
    nominated_by: str
    appointed_by: str
    status: str
    order: int

    @staticmethod
    def resolve_organisation(obj: Candidate) -> str:
        return obj.organisation.name


@router.get("/items/{item_id}/candidates", response=list[CandidateOut])
@paginate(BoundedPageNumberPagination, page_size=100)
def candidate_list(request: HttpRequest, item_id: int = _ID) -> QuerySet[Candidate]:
    item = get_object_or_404(AgendaItem, pk=item_id)
    return item.candidates.select_related("organisation").order_by("order", "id")


@router.post("/items/{item_id}/candidates", response={201: CandidateOut}, auth=ACTOR_AUTH)
@permission_required(RUN)
def candidate_add(request: HttpRequest, payload: CandidateIn, item_id: int = _ID) -> Any:
    """Put a candidate, nominee or bid on the slate (again: updates it)."""
    item = get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=item_id)
    org = get_object_or_404(Organisation, pk=payload.organisation_id)
    fields = payload.dict(exclude={"organisation_id"})
    candidate = domain.candidate_add(
        actor=_actor(request), agenda_item=item, organisation=org, **fields
    )
    return Status(201, candidate)


@router.delete("/candidates/{candidate_id}", response={204: None}, auth=ACTOR_AUTH)
@permission_required(RUN)
def candidate_remove(request: HttpRequest, candidate_id: int = _ID) -> Any:
    candidate = get_object_or_404(
        Candidate.objects.select_related("agenda_item__meeting"), pk=candidate_id
    )
    domain.candidate_remove(actor=_actor(request), candidate=candidate)
    return Status(204, None)


class DelegateIn(Schema):
    organisation_id: int
    name: str = ""
    position: str = ""
    role: str = Delegate.Role.HEAD
    mode: str = "on_site"
    mayoral_level: bool | None = None
    email: str = ""


class DelegateOut(Schema):
    """A delegate as anyone may read it: the delegate's e-mail is for staff only (in
    `GET /meetings/{slug}/accreditation`)."""

    id: int
    meeting_id: int
    organisation_id: int
    organisation: str
    name: str
    position: str
    role: str
    mode: str
    mayoral_level: bool
    present: bool
    checked_in_at: dt.datetime | None
    checked_in_mode: str | None

    @staticmethod
    def resolve_organisation(obj: Delegate) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_present(obj: Delegate) -> bool:
        return hasattr(obj, "check_in")

    @staticmethod
    def resolve_checked_in_at(obj: Delegate) -> dt.datetime | None:
        return obj.check_in.at if hasattr(obj, "check_in") else None

    @staticmethod
    def resolve_checked_in_mode(obj: Delegate) -> str | None:
        return obj.check_in.mode if hasattr(obj, "check_in") else None


@router.get("/meetings/{slug}/delegates", response=list[DelegateOut])
@paginate(BoundedPageNumberPagination, page_size=100)
def delegate_list(
    request: HttpRequest,
    slug: str,
    organisation_id: int | None = Query(None, ge=1, le=MAX_ID),
    present: bool | None = None,
) -> QuerySet[Delegate]:
    """The accredited delegates with their check-in; filter by member and presence."""
    meeting = get_object_or_404(Meeting, slug=slug)
    return queries.delegates(meeting, organisation_id=organisation_id, present=present)


@router.post("/meetings/{slug}/delegates", response={201: DelegateOut}, auth=ACTOR_AUTH)
@permission_required(RUN)
def delegate_accredit(request: HttpRequest, slug: str, payload: DelegateIn) -> Any:
    meeting = get_object_or_404(Meeting, slug=slug)
    org = get_object_or_404(Organisation, pk=payload.organisation_id)
    fields = payload.dict(exclude={"organisation_id"})
    delegate = domain.delegate_accredit(
        actor=_actor(request), meeting=meeting, organisation=org, **fields
    )
    return Status(201, delegate)


@router.post("/meetings/{slug}/delegates/{delegate_id}/check-out", auth=ACTOR_AUTH)
@permission_required(RUN)
def check_out(request: HttpRequest, slug: str, delegate_id: int = _ID) -> dict[str, Any]:
    """A delegate leaves; the stay is kept with its times. 409 once the meeting concluded."""
    delegate = get_object_or_404(
        Delegate.objects.select_related("meeting"), pk=delegate_id, meeting__slug=slug
    )
    left = domain.attendance_check_out(actor=_actor(request), delegate=delegate)
    return {"delegate_id": delegate.pk, "checked_out": left}


class AttendeeOut(Schema):
    organisation_id: int
    organisation: str
    category: str
    role: str
    mode: str
    mayoral: bool
    delegate_id: int
    delegate: str
    position: str
    population: int


class MeetingAttendanceOut(Schema):
    meeting_id: int
    members: list[AttendeeOut]
    observers: list[AttendeeOut]


def _attendee(row: queries.AttendanceRow) -> dict[str, Any]:
    return {
        "organisation_id": row.organisation.pk,
        "organisation": row.organisation.name,
        "category": row.organisation.category,
        "role": row.role,
        "mode": row.mode,
        "mayoral": row.mayoral,
        "delegate_id": row.delegate.pk,
        "delegate": row.delegate.name,
        "position": row.delegate.position,
        "population": row.population,
    }


@router.get("/meetings/{slug}/attendance", response=MeetingAttendanceOut)
def attendance(request: HttpRequest, slug: str) -> dict[str, Any]:
    """Who attends, one row per organisation: voting members, members attending without
    counting, and observers apart (never counted)."""
    meeting = get_object_or_404(Meeting, slug=slug)
    rows = queries.attendance_rows(meeting, observers=None)
    return {
        "meeting_id": meeting.pk,
        "members": [_attendee(r) for r in rows if r.role != "observer"],
        "observers": [_attendee(r) for r in rows if r.role == "observer"],
    }
