"""The routers, the error answers and the request helpers every programme operation shares:
finding the event (404 unless the caller may see it), the acting caller, a row by id, a
member by slug, a wall-clock time made aware, a PATCH body's set fields.
"""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from urbis.common.actor import Actor, actor_of
from urbis.events import rules
from urbis.events.api import DetailOut, ErrorsOut
from urbis.events.models import Event
from urbis.members.models import Organisation

PERM = "events.change_programme"  # every write of this module

router = Router(tags=["events"])
venues_router = Router(tags=["events"])

WRITE_ERRORS: dict[int, Any] = {403: DetailOut, 404: DetailOut, 422: ErrorsOut}
DELETE_ERRORS: dict[int, Any] = {403: DetailOut, 404: DetailOut, 409: DetailOut}


def _event(request: HttpRequest, slug: str) -> Event:
    """The event by slug; an unpublished one exists only for the secretariat."""
    event = get_object_or_404(Event.objects.select_related("host"), slug=slug)
    actor = actor_of(request)
    if not event.is_public and not (actor and actor.has_perm(PERM)):
        raise Http404("No such event.")
    return event


def _actor(request: HttpRequest) -> Actor:
    """The actor `ACTOR_AUTH` resolved and `@permission_required` allowed."""
    actor = actor_of(request)
    assert actor is not None
    return actor


def _by_id(qs: Any, pk: int, what: str) -> Any:
    obj = qs.filter(pk=pk).first() if rules.id_in_range(pk) else None
    if obj is None:
        raise Http404(f"No {what} {pk}.")
    return obj


def _organisation(slug: str | None, field: str) -> Organisation | None:
    if not slug:
        return None
    org = Organisation.objects.filter(slug=slug).first()
    if org is None:
        raise ValidationError({field: f"No organisation has the slug “{slug}”."})
    return org


def _aware(value: dt.datetime | None, zone: str, field: str) -> dt.datetime | None:
    """A registration window moment; without an offset it is a wall-clock time in `zone`."""
    if value is None:
        return None
    if value.tzinfo is not None:
        return value.astimezone(dt.UTC)
    if not rules.is_time_zone(zone):
        return value.replace(tzinfo=dt.UTC)
    try:
        return rules.local_to_utc(value.date(), value.time(), zone)
    except ValueError as exc:
        raise ValidationError({field: str(exc)}) from exc


def _patch(payload: Schema, nullable: set[str]) -> dict[str, Any]:
    """The fields sent; null only where the field may be empty (e.g. `host`, `end_time`)."""
    data: dict[str, Any] = payload.dict(exclude_unset=True)
    nulls = {name: "This field may not be null." for name, v in data.items() if v is None}
    for name in nullable:
        nulls.pop(name, None)
    if nulls:
        raise ValidationError(nulls)
    return data
