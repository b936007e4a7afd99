"""Delegates of a meeting: accreditation, check-out and the attendance register grouped by
role.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Schema, Status
from ninja.pagination import paginate

from urbis.common.actor import ACTOR_AUTH, permission_required
from urbis.common.inputs import MAX_ID
from urbis.common.pagination import BoundedPageNumberPagination
from urbis.governance import domain, queries
from urbis.governance.api_meetings.base import _ID, RUN, _actor, router
from urbis.governance.models import Delegate, Meeting
from urbis.members.models import Organisation


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


@router.get(
    "/meetings/{slug}/delegates",
    response=list[DelegateOut],
    operation_id="urbis_governance_api_meetings_delegate_list",
)
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


@router.post(
    "/meetings/{slug}/delegates",
    response={201: DelegateOut},
    auth=ACTOR_AUTH,
    operation_id="urbis_governance_api_meetings_delegate_accredit",
)
@permission_required(RUN)
def delegate_accredit(request: HttpRequest, slug: str, payload: DelegateIn) -> Any:
    meeting = get_object_or_404(Meeting, slug=slug)
    org = get_object_or_404(Organisation, pk=payload.organisation_id)
    fields = payload.dict(exclude={"organisation_id"})
    delegate = domain.delegate_accredit(
        actor=_actor(request), meeting=meeting, organisation=org, **fields
    )
    return Status(201, delegate)


@router.post(
    "/meetings/{slug}/delegates/{delegate_id}/check-out",
    auth=ACTOR_AUTH,
    operation_id="urbis_governance_api_meetings_check_out",
)
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


@router.get(
    "/meetings/{slug}/attendance",
    response=MeetingAttendanceOut,
    operation_id="urbis_governance_api_meetings_attendance",
)
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
