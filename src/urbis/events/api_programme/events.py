"""Events: list, create, read, update and delete; a delete that would lose registrations,
check-ins or sessions is refused (409).
"""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Status
from ninja.pagination import paginate

from urbis.common.actor import ACTOR_AUTH, permission_required
from urbis.common.pagination import BoundedPageNumberPagination
from urbis.events import domain, queries
from urbis.events.api import DetailOut, EventOut
from urbis.events.api_programme.base import (
    DELETE_ERRORS,
    PERM,
    WRITE_ERRORS,
    _actor,
    _aware,
    _event,
    _organisation,
    _patch,
    router,
)
from urbis.events.api_programme.schemas import EventFilters, EventIn, EventPatch
from urbis.events.models import Event


def _event_fields(data: dict[str, Any], zone: str) -> dict[str, Any]:
    if "host" in data:
        data["host"] = _organisation(data["host"], "host")
    if data.get("country"):
        data["country"] = data["country"].upper()
    for name in ("registration_opens_at", "registration_closes_at"):
        if name in data:
            data[name] = _aware(data[name], zone, name)
    return data


@router.get("/", response=list[EventOut], operation_id="urbis_events_api_programme_event_list")
@paginate(BoundedPageNumberPagination, page_size=50)
def event_list(request: HttpRequest, filters: Query[EventFilters]) -> QuerySet[Event]:
    """Published events (the secretariat also sees unpublished ones), newest first."""
    return queries.events_visible_to(request.user, **filters.dict())


@router.post(
    "/",
    response={201: EventOut, **WRITE_ERRORS},
    auth=ACTOR_AUTH,
    operation_id="urbis_events_api_programme_event_create",
)
@permission_required(PERM)
def event_create(request: HttpRequest, payload: EventIn) -> Status[Event]:
    data = _event_fields(payload.dict(), payload.time_zone)
    return Status(201, domain.event_create(actor=_actor(request), **data))


@router.get(
    "/{slug}",
    response={200: EventOut, 404: DetailOut},
    operation_id="urbis_events_api_programme_event_detail",
)
def event_detail(request: HttpRequest, slug: str) -> Event:
    return _event(request, slug)


@router.patch(
    "/{slug}",
    response={200: EventOut, **WRITE_ERRORS},
    auth=ACTOR_AUTH,
    operation_id="urbis_events_api_programme_event_update",
)
@permission_required(PERM)
def event_update(request: HttpRequest, slug: str, payload: EventPatch) -> Status[Event]:
    event = _event(request, slug)
    data = _patch(payload, {"host", "registration_opens_at", "registration_closes_at"})
    data = _event_fields(data, data.get("time_zone") or event.time_zone)
    return Status(200, domain.event_update(actor=_actor(request), event=event, **data))


@router.delete(
    "/{slug}",
    response={204: None, **DELETE_ERRORS},
    auth=ACTOR_AUTH,
    operation_id="urbis_events_api_programme_event_delete",
)
@permission_required(PERM)
def event_delete(request: HttpRequest, slug: str) -> Status[dict[str, str]] | Status[None]:
    """Refused (409) once anyone is registered; unpublish the event instead."""
    event = _event(request, slug)
    try:
        domain.event_delete(actor=_actor(request), event=event)
    except domain.InUse as exc:
        return Status(409, {"detail": str(exc)})
    return Status(204, None)
