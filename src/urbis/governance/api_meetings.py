"""REST endpoints to prepare, run and minute a meeting: meetings, agenda items, candidates,
delegates, the attendance register, the lifecycle and errata.

Handlers parse, check the permission, call one domain or query function, serialise. Every
output carries its `id`; lists are paginated. A write to a concluded meeting's record is a
409 with the reason; any other refused input a 422 naming the field.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import django_auth

from urbis.common.inputs import MAX_DATE, MAX_ID, MIN_DATE
from urbis.common.pagination import BoundedPageNumberPagination
from urbis.events.models import Session
from urbis.governance import domain, queries
from urbis.governance.models import AgendaItem, Candidate, Delegate, Erratum, Meeting
from urbis.members.models import Organisation

router = Router(tags=["governance: meetings"])

# An id in the path: out of range is a 422 naming it, never a database overflow.
_ID = Path(..., ge=1, le=MAX_ID)


def _may_run(request: Any) -> None:
    if not request.user.has_perm("governance.run_meeting"):
        raise HttpError(403, "You may not do this.")


def _guard(call: Any) -> Any:
    """Run a domain write; a concluded meeting's refusal is a 409 (other refusals go on to
    the API's 422 handler, which names the field)."""
    try:
        return call()
    except domain.MeetingClosedError as exc:
        raise HttpError(409, "; ".join(m for ms in exc.message_dict.values() for m in ms)) from exc


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
    request: Any,
    body: str = Query("", max_length=20),
    status: str = Query("", max_length=20),
    year: int | None = Query(None, ge=MIN_DATE.year, le=MAX_DATE.year),
) -> QuerySet[Meeting]:
    """Meetings, latest first; filter by body (ga, excom), status and year."""
    return queries.meetings(body=body, status=status, year=year)


@router.post("/meetings", response={201: MeetingOut}, auth=django_auth)
def meeting_create(request: Any, payload: MeetingCreateIn) -> Any:
    _may_run(request)
    if Meeting.objects.filter(slug=payload.slug).exists():
        raise HttpError(409, f"A meeting '{payload.slug}' exists already.")
    meeting = domain.meeting_save(actor=request.user, slug=payload.slug, **_meeting_fields(payload))
    return Status(201, meeting)


@router.get("/meetings/{slug}", response=MeetingOut)
def meeting_detail(request: Any, slug: str) -> Meeting:
    return get_object_or_404(Meeting, slug=slug)


@router.patch("/meetings/{slug}", response=MeetingOut, auth=django_auth)
def meeting_update(request: Any, slug: str, payload: MeetingIn) -> Meeting:
    _may_run(request)
    get_object_or_404(Meeting, slug=slug)
    fields = _meeting_fields(payload)
    return _guard(lambda: domain.meeting_save(actor=request.user, slug=slug, **fields))


@router.delete("/meetings/{slug}", response={204: None}, auth=django_auth)
def meeting_delete(request: Any, slug: str) -> Any:
    _may_run(request)
    meeting = get_object_or_404(Meeting, slug=slug)
    domain.meeting_delete(actor=request.user, meeting=meeting)
    return Status(204, None)


class ConveneIn(Schema):
    convocation_date: dt.date
    notice: str


class ApproveIn(Schema):
    approved_by_item_id: int


@router.post("/meetings/{slug}/convene", response=MeetingOut, auth=django_auth)
def meeting_convene(request: Any, slug: str, payload: ConveneIn) -> Meeting:
    """Convene a draft meeting: the registry on the convocation date fixes the electorate."""
    _may_run(request)
    meeting = get_object_or_404(Meeting, slug=slug)
    return domain.meeting_convene(
        actor=request.user,
        meeting=meeting,
        convocation_date=payload.convocation_date,
        notice=payload.notice,
    )


@router.post("/meetings/{slug}/open", response=MeetingOut, auth=django_auth)
def meeting_open(request: Any, slug: str) -> Meeting:
    _may_run(request)
    return domain.meeting_open(actor=request.user, meeting=get_object_or_404(Meeting, slug=slug))


@router.post("/meetings/{slug}/conclude", response=MeetingOut, auth=django_auth)
def meeting_conclude(request: Any, slug: str) -> Meeting:
    """Conclude: attendance, votes and decisions become read-only (409 afterwards)."""
    _may_run(request)
    meeting = get_object_or_404(Meeting, slug=slug)
    return domain.meeting_conclude(actor=request.user, meeting=meeting)


@router.post("/meetings/{slug}/minutes/approve", response=MeetingOut, auth=django_auth)
def minutes_approve(request: Any, slug: str, payload: ApproveIn) -> Meeting:
    """The minutes are approved by an adopted item of a later meeting."""
    _may_run(request)
    meeting = get_object_or_404(Meeting, slug=slug)
    item = get_object_or_404(AgendaItem, pk=payload.approved_by_item_id)
    return domain.minutes_approve(actor=request.user, meeting=meeting, approved_by=item)


@router.post("/meetings/{slug}/minutes/publish", response=MeetingOut, auth=django_auth)
def minutes_publish(request: Any, slug: str) -> Meeting:
    _may_run(request)
    meeting = get_object_or_404(Meeting, slug=slug)
    return domain.minutes_publish(actor=request.user, meeting=meeting)


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
def errata(request: Any, slug: str) -> QuerySet[Erratum]:
    return get_object_or_404(Meeting, slug=slug).errata.order_by("on", "id")


@router.post("/meetings/{slug}/errata", response={201: ErratumOut}, auth=django_auth)
def erratum_record(request: Any, slug: str, payload: ErratumIn) -> Any:
    """A dated, reasoned correction of a concluded meeting, shown in its memorandum."""
    _may_run(request)
    meeting = get_object_or_404(Meeting, slug=slug)
    return Status(201, domain.erratum_record(actor=request.user, meeting=meeting, **payload.dict()))


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
    request: Any, slug: str, kind: str = Query("", max_length=20)
) -> QuerySet[AgendaItem]:
    meeting = get_object_or_404(Meeting, slug=slug)
    qs = AgendaItem.objects.filter(meeting=meeting).select_related("decision")
    return qs.filter(kind=kind) if kind else qs.order_by("number")


@router.post("/meetings/{slug}/items", response={201: ItemOut}, auth=django_auth)
def item_create(request: Any, slug: str, payload: ItemCreateIn) -> Any:
    _may_run(request)
    meeting = get_object_or_404(Meeting, slug=slug)
    if AgendaItem.objects.filter(meeting=meeting, number=payload.number).exists():
        raise HttpError(409, f"{meeting} has an agenda item {payload.number} already.")
    fields = _item_fields(payload)
    item = _guard(
        lambda: domain.agenda_item_save(
            actor=request.user, meeting=meeting, number=payload.number, **fields
        )
    )
    return Status(201, item)


@router.get("/items/{item_id}", response=ItemOut)
def item_detail(request: Any, item_id: int = _ID) -> AgendaItem:
    return get_object_or_404(AgendaItem.objects.select_related("decision"), pk=item_id)


@router.patch("/items/{item_id}", response=ItemOut, auth=django_auth)
def item_update(request: Any, payload: ItemIn, item_id: int = _ID) -> AgendaItem:
    _may_run(request)
    item = get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=item_id)
    fields = _item_fields(payload)
    return _guard(
        lambda: domain.agenda_item_save(
            actor=request.user, meeting=item.meeting, number=item.number, **fields
        )
    )


@router.delete("/items/{item_id}", response={204: None}, auth=django_auth)
def item_delete(request: Any, item_id: int = _ID) -> Any:
    _may_run(request)
    item = get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=item_id)
    _guard(lambda: domain.agenda_item_delete(actor=request.user, item=item))
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
def candidate_list(request: Any, item_id: int = _ID) -> QuerySet[Candidate]:
    item = get_object_or_404(AgendaItem, pk=item_id)
    return item.candidates.select_related("organisation").order_by("order", "id")


@router.post("/items/{item_id}/candidates", response={201: CandidateOut}, auth=django_auth)
def candidate_add(request: Any, payload: CandidateIn, item_id: int = _ID) -> Any:
    """Put a candidate, nominee or bid on the slate (again: updates it)."""
    _may_run(request)
    item = get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=item_id)
    org = get_object_or_404(Organisation, pk=payload.organisation_id)
    fields = payload.dict(exclude={"organisation_id"})
    candidate = _guard(
        lambda: domain.candidate_add(
            actor=request.user, agenda_item=item, organisation=org, **fields
        )
    )
    return Status(201, candidate)


@router.delete("/candidates/{candidate_id}", response={204: None}, auth=django_auth)
def candidate_remove(request: Any, candidate_id: int = _ID) -> Any:
    _may_run(request)
    candidate = get_object_or_404(
        Candidate.objects.select_related("agenda_item__meeting"), pk=candidate_id
    )
    _guard(lambda: domain.candidate_remove(actor=request.user, candidate=candidate))
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
    request: Any,
    slug: str,
    organisation_id: int | None = Query(None, ge=1, le=MAX_ID),
    present: bool | None = None,
) -> QuerySet[Delegate]:
    """The accredited delegates with their check-in; filter by member and presence."""
    meeting = get_object_or_404(Meeting, slug=slug)
    return queries.delegates(meeting, organisation_id=organisation_id, present=present)


@router.post("/meetings/{slug}/delegates", response={201: DelegateOut}, auth=django_auth)
def delegate_accredit(request: Any, slug: str, payload: DelegateIn) -> Any:
    _may_run(request)
    meeting = get_object_or_404(Meeting, slug=slug)
    org = get_object_or_404(Organisation, pk=payload.organisation_id)
    fields = payload.dict(exclude={"organisation_id"})
    delegate = _guard(
        lambda: domain.delegate_accredit(
            actor=request.user, meeting=meeting, organisation=org, **fields
        )
    )
    return Status(201, delegate)


@router.post("/meetings/{slug}/delegates/{delegate_id}/check-out", auth=django_auth)
def check_out(request: Any, slug: str, delegate_id: int = _ID) -> dict[str, Any]:
    """A delegate leaves; the stay is kept with its times. 409 once the meeting concluded."""
    _may_run(request)
    delegate = get_object_or_404(
        Delegate.objects.select_related("meeting"), pk=delegate_id, meeting__slug=slug
    )
    left = _guard(lambda: domain.attendance_check_out(actor=request.user, delegate=delegate))
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
def attendance(request: Any, slug: str) -> dict[str, Any]:
    """Who attends, one row per organisation: voting members, members attending without
    counting, and observers apart (never counted)."""
    meeting = get_object_or_404(Meeting, slug=slug)
    rows = queries.attendance_rows(meeting, observers=None)
    return {
        "meeting_id": meeting.pk,
        "members": [_attendee(r) for r in rows if r.role != "observer"],
        "observers": [_attendee(r) for r in rows if r.role == "observer"],
    }
