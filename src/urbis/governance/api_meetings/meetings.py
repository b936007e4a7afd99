"""Meetings: list (filtered by body, status and year), create, read, update and delete."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Schema, Status
from ninja.pagination import paginate

from urbis.common.actor import ACTOR_AUTH, permission_required
from urbis.common.errors import Conflict
from urbis.common.inputs import MAX_DATE, MIN_DATE
from urbis.common.pagination import BoundedPageNumberPagination
from urbis.events.models import Session
from urbis.governance import domain, queries
from urbis.governance.api_meetings.base import RUN, _actor, router
from urbis.governance.models import Meeting
from urbis.members.models import Organisation


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


@router.get(
    "/meetings",
    response=list[MeetingOut],
    operation_id="urbis_governance_api_meetings_meeting_list",
)
@paginate(BoundedPageNumberPagination, page_size=50)
def meeting_list(
    request: HttpRequest,
    body: str = Query("", max_length=20),
    status: str = Query("", max_length=20),
    year: int | None = Query(None, ge=MIN_DATE.year, le=MAX_DATE.year),
) -> QuerySet[Meeting]:
    """Meetings, latest first; filter by body (ga, excom), status and year."""
    return queries.meetings(body=body, status=status, year=year)


@router.post(
    "/meetings",
    response={201: MeetingOut},
    auth=ACTOR_AUTH,
    operation_id="urbis_governance_api_meetings_meeting_create",
)
@permission_required(RUN)
def meeting_create(request: HttpRequest, payload: MeetingCreateIn) -> Any:
    if Meeting.objects.filter(slug=payload.slug).exists():
        raise Conflict({"slug": [f"A meeting '{payload.slug}' exists already."]})
    meeting = domain.meeting_save(
        actor=_actor(request), slug=payload.slug, **_meeting_fields(payload)
    )
    return Status(201, meeting)


@router.get(
    "/meetings/{slug}",
    response=MeetingOut,
    operation_id="urbis_governance_api_meetings_meeting_detail",
)
def meeting_detail(request: HttpRequest, slug: str) -> Meeting:
    return get_object_or_404(Meeting, slug=slug)


@router.patch(
    "/meetings/{slug}",
    response=MeetingOut,
    auth=ACTOR_AUTH,
    operation_id="urbis_governance_api_meetings_meeting_update",
)
@permission_required(RUN)
def meeting_update(request: HttpRequest, slug: str, payload: MeetingIn) -> Meeting:
    get_object_or_404(Meeting, slug=slug)
    fields = _meeting_fields(payload)
    return domain.meeting_save(actor=_actor(request), slug=slug, **fields)


@router.delete(
    "/meetings/{slug}",
    response={204: None},
    auth=ACTOR_AUTH,
    operation_id="urbis_governance_api_meetings_meeting_delete",
)
@permission_required(RUN)
def meeting_delete(request: HttpRequest, slug: str) -> Any:
    meeting = get_object_or_404(Meeting, slug=slug)
    domain.meeting_delete(actor=_actor(request), meeting=meeting)
    return Status(204, None)
