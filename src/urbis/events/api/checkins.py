"""The desk: a delegate's check-in by badge (refused for a badge of another event) and a
day's attendance register.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Status

from urbis.common.actor import ACTOR_AUTH, permission_required
from urbis.common.errors import ErrorOut as DetailOut
from urbis.common.errors import ErrorOut as ErrorsOut
from urbis.events import domain, queries
from urbis.events.api.base import _actor, router
from urbis.events.api.schemas import AttendanceOut, CheckInIn, CheckInOut
from urbis.events.models import Event


@router.post(
    "/{slug}/checkins",
    response={200: CheckInOut, 201: CheckInOut, 403: DetailOut, 422: ErrorsOut},
    auth=ACTOR_AUTH,
    operation_id="urbis_events_api_checkin",
)
@permission_required("events.check_in")
def checkin(request: HttpRequest, slug: str, payload: CheckInIn) -> Status[dict[str, object]]:
    """Check a delegate in at this event's desk (a badge of another event is refused)."""
    record, created = domain.checkin_record(
        actor=_actor(request),
        event=get_object_or_404(Event, slug=slug),
        code=payload.code,
        day=payload.day,
        method=payload.method,
    )
    body = {
        "created": created,
        "day": record.day,
        "at": record.at,
        "registration": record.registration,
    }
    return Status(201 if created else 200, body)


@router.get(
    "/{slug}/attendance",
    response={200: list[AttendanceOut], 403: DetailOut},
    auth=ACTOR_AUTH,
    operation_id="urbis_events_api_attendance",
)
@permission_required("events.check_in")
def attendance(request: HttpRequest, slug: str, on: dt.date) -> Status[list[dict[str, object]]]:
    """The organisations checked in on a day: the secretariat's attendance register."""
    event = get_object_or_404(Event, slug=slug)
    rows = [
        {
            "organisation": o.organisation,
            "mode": o.mode,
            "mayoral_level": o.mayoral_level,
            "delegates": len(o.delegates),
        }
        for o in queries.checked_in_organisations(event, on=on)
    ]
    return Status(200, rows)
