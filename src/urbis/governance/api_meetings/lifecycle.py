"""A meeting's lifecycle (convene, open, conclude, approve and publish the minutes) and the
dated errata that correct a concluded record.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Schema, Status
from ninja.pagination import paginate

from urbis.common.actor import ACTOR_AUTH, permission_required
from urbis.common.pagination import BoundedPageNumberPagination
from urbis.governance import domain
from urbis.governance.api_meetings.base import RUN, _actor, router
from urbis.governance.api_meetings.meetings import MeetingOut
from urbis.governance.models import AgendaItem, Erratum, Meeting


class ConveneIn(Schema):
    convocation_date: dt.date
    notice: str


class ApproveIn(Schema):
    approved_by_item_id: int


@router.post(
    "/meetings/{slug}/convene",
    response=MeetingOut,
    auth=ACTOR_AUTH,
    operation_id="urbis_governance_api_meetings_meeting_convene",
)
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


@router.post(
    "/meetings/{slug}/open",
    response=MeetingOut,
    auth=ACTOR_AUTH,
    operation_id="urbis_governance_api_meetings_meeting_open",
)
@permission_required(RUN)
def meeting_open(request: HttpRequest, slug: str) -> Meeting:
    return domain.meeting_open(actor=_actor(request), meeting=get_object_or_404(Meeting, slug=slug))


@router.post(
    "/meetings/{slug}/conclude",
    response=MeetingOut,
    auth=ACTOR_AUTH,
    operation_id="urbis_governance_api_meetings_meeting_conclude",
)
@permission_required(RUN)
def meeting_conclude(request: HttpRequest, slug: str) -> Meeting:
    """Conclude: attendance, votes and decisions become read-only (409 afterwards)."""
    meeting = get_object_or_404(Meeting, slug=slug)
    return domain.meeting_conclude(actor=_actor(request), meeting=meeting)


@router.post(
    "/meetings/{slug}/minutes/approve",
    response=MeetingOut,
    auth=ACTOR_AUTH,
    operation_id="urbis_governance_api_meetings_minutes_approve",
)
@permission_required(RUN)
def minutes_approve(request: HttpRequest, slug: str, payload: ApproveIn) -> Meeting:
    """The minutes are approved by an adopted item of a later meeting."""
    meeting = get_object_or_404(Meeting, slug=slug)
    item = get_object_or_404(AgendaItem, pk=payload.approved_by_item_id)
    return domain.minutes_approve(actor=_actor(request), meeting=meeting, approved_by=item)


@router.post(
    "/meetings/{slug}/minutes/publish",
    response=MeetingOut,
    auth=ACTOR_AUTH,
    operation_id="urbis_governance_api_meetings_minutes_publish",
)
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


@router.get(
    "/meetings/{slug}/errata",
    response=list[ErratumOut],
    operation_id="urbis_governance_api_meetings_errata",
)
@paginate(BoundedPageNumberPagination, page_size=50)
def errata(request: HttpRequest, slug: str) -> QuerySet[Erratum]:
    return get_object_or_404(Meeting, slug=slug).errata.order_by("on", "id")


@router.post(
    "/meetings/{slug}/errata",
    response={201: ErratumOut},
    auth=ACTOR_AUTH,
    operation_id="urbis_governance_api_meetings_erratum_record",
)
@permission_required(RUN)
def erratum_record(request: HttpRequest, slug: str, payload: ErratumIn) -> Any:
    """A dated, reasoned correction of a concluded meeting, shown in its memorandum."""
    meeting = get_object_or_404(Meeting, slug=slug)
    return Status(
        201,
        domain.erratum_record(actor=_actor(request), meeting=meeting, **payload.dict()),
    )
