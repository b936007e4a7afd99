"""Sponsors of an event, each optionally a member organisation named by its slug."""

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Status
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
    _event,
    _organisation,
    _patch,
    router,
)
from urbis.events.api_programme.schemas import SponsorDetailOut, SponsorIn, SponsorPatch
from urbis.events.models import Event, Sponsor


def _sponsor(event: Event, sponsor_id: int) -> Sponsor:
    sponsor: Sponsor = _by_id(
        queries.sponsors_of(event).select_related("event"), sponsor_id, "sponsor"
    )
    return sponsor


@router.get(
    "/{slug}/sponsors",
    response=list[SponsorDetailOut],
    operation_id="urbis_events_api_programme_sponsor_list",
)
@paginate(BoundedPageNumberPagination, page_size=100)
def sponsor_list(request: HttpRequest, slug: str) -> QuerySet[Sponsor]:
    return queries.sponsors_of(_event(request, slug)).select_related("event")


@router.post(
    "/{slug}/sponsors",
    response={201: SponsorDetailOut, **WRITE_ERRORS},
    auth=ACTOR_AUTH,
    operation_id="urbis_events_api_programme_sponsor_create",
)
@permission_required(PERM)
def sponsor_create(request: HttpRequest, slug: str, payload: SponsorIn) -> Status[Sponsor]:
    event = _event(request, slug)
    data = payload.dict()
    data["organisation"] = _organisation(data["organisation"], "organisation")
    return Status(201, domain.sponsor_create(actor=_actor(request), event=event, **data))


@router.get(
    "/{slug}/sponsors/{sponsor_id}",
    response={200: SponsorDetailOut, 404: DetailOut},
    operation_id="urbis_events_api_programme_sponsor_detail",
)
def sponsor_detail(request: HttpRequest, slug: str, sponsor_id: int) -> Sponsor:
    return _sponsor(_event(request, slug), sponsor_id)


@router.patch(
    "/{slug}/sponsors/{sponsor_id}",
    response={200: SponsorDetailOut, **WRITE_ERRORS},
    auth=ACTOR_AUTH,
    operation_id="urbis_events_api_programme_sponsor_update",
)
@permission_required(PERM)
def sponsor_update(
    request: HttpRequest, slug: str, sponsor_id: int, payload: SponsorPatch
) -> Status[Sponsor]:
    sponsor = _sponsor(_event(request, slug), sponsor_id)
    data = _patch(payload, {"organisation"})
    if "organisation" in data:
        data["organisation"] = _organisation(data["organisation"], "organisation")
    return Status(200, domain.sponsor_update(actor=_actor(request), sponsor=sponsor, **data))


@router.delete(
    "/{slug}/sponsors/{sponsor_id}",
    response={204: None, **DELETE_ERRORS},
    auth=ACTOR_AUTH,
    operation_id="urbis_events_api_programme_sponsor_delete",
)
@permission_required(PERM)
def sponsor_delete(request: HttpRequest, slug: str, sponsor_id: int) -> Status[None]:
    sponsor = _sponsor(_event(request, slug), sponsor_id)
    domain.sponsor_delete(actor=_actor(request), sponsor=sponsor)
    return Status(204, None)
