"""Sessions of an event's programme, their times given as wall-clock values in the event's
time zone and answered both so and in UTC.
"""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Query, Status
from ninja.pagination import paginate

from urbis.common.actor import ACTOR_AUTH, permission_required
from urbis.common.pagination import BoundedPageNumberPagination
from urbis.events import domain, queries, rules
from urbis.events.api import DetailOut
from urbis.events.api_programme.base import (
    DELETE_ERRORS,
    PERM,
    WRITE_ERRORS,
    _actor,
    _by_id,
    _event,
    _patch,
    router,
)
from urbis.events.api_programme.schemas import (
    SessionDetailOut,
    SessionFilters,
    SessionIn,
    SessionPatch,
)
from urbis.events.models import Event, Session, Venue


def _session_fields(data: dict[str, Any]) -> dict[str, Any]:
    if "venue_id" in data:
        pk = data.pop("venue_id")
        venue = None
        if pk is not None:
            venue = Venue.objects.filter(pk=pk).first() if rules.id_in_range(pk) else None
            if venue is None:
                raise ValidationError({"venue_id": f"No venue {pk}."})
        data["venue"] = venue
    return data


def _hm(at: dt.datetime | None, zone: str) -> str | None:
    return f"{rules.utc_to_local(at, zone):%H:%M}" if at else None


def session_out(s: Session) -> dict[str, Any]:
    zone = s.event.time_zone
    return {
        "id": s.pk,
        "event": s.event.slug,
        "day": s.day,
        "start_time": _hm(s.starts_at, zone),
        "end_time": _hm(s.ends_at, zone),
        "starts_at": s.starts_at,
        "ends_at": s.ends_at,
        "time_zone": zone,
        "time_note": s.time_note,
        "title": s.title,
        "kind": s.kind,
        "venue_id": s.venue_id,
        "venue": s.venue.name if s.venue else "",
        "address": s.venue.address if s.venue else "",
        "room": s.room,
        "description": s.description,
        "official_language": s.official_language,
        "interpretation": s.interpretation,
        "online": s.online,
        "capacity": s.capacity,
        "taken": getattr(s, "taken", 0),
        "requires_signup": s.requires_signup,
        "is_assembly": s.is_assembly,
        "people": [
            {"role": p.role, "name": p.name, "position": p.position} for p in s.people.all()
        ],
        "pickup_places": [{"name": p.name, "address": p.address} for p in s.pickup_places.all()],
    }


def _session(event: Event, session_id: int) -> Session:
    session: Session = _by_id(
        queries.sessions_of(event).select_related("event"), session_id, "session"
    )
    return session


@router.get(
    "/{slug}/sessions",
    response=list[SessionDetailOut],
    operation_id="urbis_events_api_programme_session_list",
)
@paginate(BoundedPageNumberPagination, page_size=100)
def session_list(
    request: HttpRequest, slug: str, filters: Query[SessionFilters]
) -> list[dict[str, Any]]:
    """The programme's sessions in time order; filter by day, kind or venue id."""
    event = _event(request, slug)
    qs = queries.sessions_filtered(event, **filters.dict()).select_related("event")
    return [session_out(s) for s in qs]


@router.post(
    "/{slug}/sessions",
    response={201: SessionDetailOut, **WRITE_ERRORS},
    auth=ACTOR_AUTH,
    operation_id="urbis_events_api_programme_session_create",
)
@permission_required(PERM)
def session_create(request: HttpRequest, slug: str, payload: SessionIn) -> Status[dict[str, Any]]:
    event = _event(request, slug)
    data = _session_fields(payload.dict())
    session = domain.session_create(actor=_actor(request), event=event, **data)
    return Status(201, session_out(_session(event, session.pk)))


@router.get(
    "/{slug}/sessions/{session_id}",
    response={200: SessionDetailOut, 404: DetailOut},
    operation_id="urbis_events_api_programme_session_detail",
)
def session_detail(request: HttpRequest, slug: str, session_id: int) -> dict[str, Any]:
    event = _event(request, slug)
    return session_out(_session(event, session_id))


@router.patch(
    "/{slug}/sessions/{session_id}",
    response={200: SessionDetailOut, **WRITE_ERRORS},
    auth=ACTOR_AUTH,
    operation_id="urbis_events_api_programme_session_update",
)
@permission_required(PERM)
def session_update(
    request: HttpRequest, slug: str, session_id: int, payload: SessionPatch
) -> Status[dict[str, Any]]:
    event = _event(request, slug)
    session = _session(event, session_id)
    data = _session_fields(_patch(payload, {"start_time", "end_time", "venue_id", "capacity"}))
    domain.session_update(actor=_actor(request), session=session, **data)
    return Status(200, session_out(_session(event, session_id)))


@router.delete(
    "/{slug}/sessions/{session_id}",
    response={204: None, **DELETE_ERRORS},
    auth=ACTOR_AUTH,
    operation_id="urbis_events_api_programme_session_delete",
)
@permission_required(PERM)
def session_delete(
    request: HttpRequest, slug: str, session_id: int
) -> Status[dict[str, str]] | Status[None]:
    """Refused (409) once a delegate has signed up for the session."""
    session = _session(_event(request, slug), session_id)
    try:
        domain.session_delete(actor=_actor(request), session=session)
    except domain.InUse as exc:
        return Status(409, {"detail": str(exc)})
    return Status(204, None)
