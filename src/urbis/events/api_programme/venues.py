"""Venues, shared by events and mounted under `/venues`; a delete that would leave an event
or session without its place is refused (409).
"""

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Status
from ninja.pagination import paginate

from urbis.common.actor import ACTOR_AUTH, permission_required
from urbis.common.pagination import BoundedPageNumberPagination
from urbis.events import domain, queries
from urbis.events.api import DetailOut
from urbis.events.api_programme.base import (
    DELETE_ERRORS,
    PERM,
    WRITE_ERRORS,
    _actor,
    _by_id,
    _patch,
    venues_router,
)
from urbis.events.api_programme.schemas import (
    VenueFilters,
    VenueIn,
    VenueOut,
    VenuePatch,
)
from urbis.events.models import Venue


def _venue(venue_id: int) -> Venue:
    venue: Venue = _by_id(queries.venues(), venue_id, "venue")
    return venue


@venues_router.get(
    "/", response=list[VenueOut], operation_id="urbis_events_api_programme_venue_list"
)
@paginate(BoundedPageNumberPagination, page_size=100)
def venue_list(request: HttpRequest, filters: Query[VenueFilters]) -> QuerySet[Venue]:
    """Venues by name, with the number of sessions held at each."""
    return queries.venues(**filters.dict())


@venues_router.post(
    "/",
    response={201: VenueOut, **WRITE_ERRORS},
    auth=ACTOR_AUTH,
    operation_id="urbis_events_api_programme_venue_create",
)
@permission_required(PERM)
def venue_create(request: HttpRequest, payload: VenueIn) -> Status[Venue]:
    data = payload.dict()
    data["country"] = data["country"].upper()
    venue = domain.venue_create(actor=_actor(request), **data)
    return Status(201, _venue(venue.pk))


@venues_router.get(
    "/{venue_id}",
    response={200: VenueOut, 404: DetailOut},
    operation_id="urbis_events_api_programme_venue_detail",
)
def venue_detail(request: HttpRequest, venue_id: int) -> Venue:
    return _venue(venue_id)


@venues_router.patch(
    "/{venue_id}",
    response={200: VenueOut, **WRITE_ERRORS},
    auth=ACTOR_AUTH,
    operation_id="urbis_events_api_programme_venue_update",
)
@permission_required(PERM)
def venue_update(request: HttpRequest, venue_id: int, payload: VenuePatch) -> Status[Venue]:
    data = _patch(payload, set())
    if data.get("country"):
        data["country"] = data["country"].upper()
    domain.venue_update(actor=_actor(request), venue=_venue(venue_id), **data)
    return Status(200, _venue(venue_id))


@venues_router.delete(
    "/{venue_id}",
    response={204: None, **DELETE_ERRORS},
    auth=ACTOR_AUTH,
    operation_id="urbis_events_api_programme_venue_delete",
)
@permission_required(PERM)
def venue_delete(request: HttpRequest, venue_id: int) -> Status[dict[str, str]] | Status[None]:
    """Refused (409) while a session is held there."""
    try:
        domain.venue_delete(actor=_actor(request), venue=_venue(venue_id))
    except domain.InUse as exc:
        return Status(409, {"detail": str(exc)})
    return Status(204, None)
