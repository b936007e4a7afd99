"""REST endpoints that create, change and delete the programme: events, sessions, sponsors
(under /events) and venues (under /venues).

Reads follow the pages: a published event and its programme are public, an unpublished one
exists only for the secretariat (404 for anyone else). Writes need a caller (session or
token) holding `events.change_programme` (the secretariat; 403 otherwise, before the handler
runs). A session's `day`, `start_time` and `end_time` are wall-clock values in the event's
time zone, both ways; `starts_at` and `ends_at` are the same instants in UTC. Errors have
the API's one body (`ErrorOut`): 422 `{"detail": ..., "errors": {field: [messages]}}`, a
delete that would lose registrations, check-ins or sessions 409 `{"detail": message}`.
"""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from urbis.common.actor import ACTOR_AUTH, Actor, actor_of, permission_required
from urbis.common.pagination import BoundedPageNumberPagination
from urbis.events import domain, queries, rules
from urbis.events.api import DetailOut, ErrorsOut, EventOut
from urbis.events.models import Event, Session, Sponsor, Venue
from urbis.members.models import Organisation

PERM = "events.change_programme"  # every write of this module

router = Router(tags=["events"])
venues_router = Router(tags=["events"])

WRITE_ERRORS: dict[int, Any] = {403: DetailOut, 404: DetailOut, 422: ErrorsOut}
DELETE_ERRORS: dict[int, Any] = {403: DetailOut, 404: DetailOut, 409: DetailOut}


# --- schemas --------------------------------------------------------------------------------


class EventIn(Schema):
    name: str = Field(max_length=200)
    slug: str = Field("", max_length=80, description="Defaults from the name.")
    starts_on: dt.date
    ends_on: dt.date
    time_zone: str = Field(description="An IANA name, e.g. Asia/Almaty.")
    theme: str = Field("", max_length=200)
    city: str = Field("", max_length=120)
    country: str = Field("", max_length=2, description="ISO 3166 code, e.g. KZ.")
    host: str | None = Field(None, description="The host organisation's slug.")
    official_language: str = Field("", max_length=100)
    interpretation: str = Field("", max_length=200)
    description: str = ""
    is_public: bool = True
    registration_open: bool = True
    registration_opens_at: dt.datetime | None = Field(
        None, description="Without an offset, a wall-clock time in the event's zone."
    )
    registration_closes_at: dt.datetime | None = None


class EventPatch(Schema):
    """Only the fields sent are changed."""

    name: str | None = Field(None, max_length=200)
    slug: str | None = Field(None, max_length=80)
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    time_zone: str | None = None
    theme: str | None = Field(None, max_length=200)
    city: str | None = Field(None, max_length=120)
    country: str | None = Field(None, max_length=2)
    host: str | None = None
    official_language: str | None = Field(None, max_length=100)
    interpretation: str | None = Field(None, max_length=200)
    description: str | None = None
    is_public: bool | None = None
    registration_open: bool | None = None
    registration_opens_at: dt.datetime | None = None
    registration_closes_at: dt.datetime | None = None


class EventFilters(Schema):
    q: str = ""
    year: int | None = Field(None, ge=1, le=9999)
    country: str = ""
    city: str = ""


class PersonIO(Schema):
    role: str
    name: str = Field(max_length=200)
    position: str = Field("", max_length=300)


class PlaceIO(Schema):
    name: str = Field(max_length=200)
    address: str = Field("", max_length=300)


class SessionDetailOut(Schema):
    id: int
    event: str
    day: dt.date
    start_time: str | None = Field(description="HH:MM in the event's time zone.")
    end_time: str | None
    starts_at: dt.datetime | None = Field(description="UTC.")
    ends_at: dt.datetime | None
    time_zone: str
    time_note: str
    title: str
    kind: str
    venue_id: int | None
    venue: str
    address: str
    room: str
    description: str
    official_language: str
    interpretation: str
    online: bool
    capacity: int | None
    taken: int
    requires_signup: bool
    is_assembly: bool
    people: list[PersonIO]
    pickup_places: list[PlaceIO]


class SessionIn(Schema):
    title: str = Field(max_length=300)
    kind: str = "session"
    day: dt.date
    start_time: dt.time | None = Field(None, description="Wall-clock, in the event's zone.")
    end_time: dt.time | None = None
    time_note: str = Field("", max_length=60)
    venue_id: int | None = None
    room: str = Field("", max_length=120)
    description: str = ""
    official_language: str = Field("", max_length=100)
    interpretation: str = Field("", max_length=200)
    online: bool = False
    capacity: int | None = Field(None, ge=0, le=1_000_000)
    requires_signup: bool = False
    is_assembly: bool = False
    people: list[PersonIO] = []
    pickup_places: list[PlaceIO] = []


class SessionPatch(Schema):
    """Only the fields sent are changed; `people` or `pickup_places`, when sent, replace
    the list. Times not sent keep their wall-clock value."""

    title: str | None = Field(None, max_length=300)
    kind: str | None = None
    day: dt.date | None = None
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    time_note: str | None = Field(None, max_length=60)
    venue_id: int | None = None
    room: str | None = Field(None, max_length=120)
    description: str | None = None
    official_language: str | None = Field(None, max_length=100)
    interpretation: str | None = Field(None, max_length=200)
    online: bool | None = None
    capacity: int | None = Field(None, ge=0, le=1_000_000)
    requires_signup: bool | None = None
    is_assembly: bool | None = None
    people: list[PersonIO] | None = None
    pickup_places: list[PlaceIO] | None = None


class SessionFilters(Schema):
    day: dt.date | None = None
    kind: str = ""
    venue: int | None = Field(None, ge=1, le=rules.MAX_ID)


class VenueOut(Schema):
    id: int
    name: str
    address: str
    city: str
    country: str
    sessions: int

    @staticmethod
    def resolve_country(obj: Venue) -> str:
        return str(obj.country)

    @staticmethod
    def resolve_sessions(obj: Venue) -> int:
        n = getattr(obj, "n_sessions", None)  # annotated by queries.venues
        return obj.sessions.count() if n is None else int(n)


class VenueIn(Schema):
    name: str = Field(max_length=200)
    address: str = Field("", max_length=300)
    city: str = Field("", max_length=120)
    country: str = Field("", max_length=2)


class VenuePatch(Schema):
    name: str | None = Field(None, max_length=200)
    address: str | None = Field(None, max_length=300)
    city: str | None = Field(None, max_length=120)
    country: str | None = Field(None, max_length=2)


class VenueFilters(Schema):
    q: str = ""
    city: str = ""
    country: str = ""


class SponsorDetailOut(Schema):
    id: int
    event: str
    name: str
    organisation: str | None
    description: str
    website: str
    order: int

    @staticmethod
    def resolve_event(obj: Sponsor) -> str:
        return obj.event.slug

    @staticmethod
    def resolve_organisation(obj: Sponsor) -> str | None:
        return obj.organisation.slug if obj.organisation else None


class SponsorIn(Schema):
    name: str = Field(max_length=200)
    organisation: str | None = Field(None, description="The organisation's slug, if any.")
    description: str = ""
    website: str = Field("", max_length=200)
    order: int = Field(0, ge=0, le=32767)


class SponsorPatch(Schema):
    name: str | None = Field(None, max_length=200)
    organisation: str | None = None
    description: str | None = None
    website: str | None = Field(None, max_length=200)
    order: int | None = Field(None, ge=0, le=32767)


# --- lookups and conversions ----------------------------------------------------------------


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


def _event_fields(data: dict[str, Any], zone: str) -> dict[str, Any]:
    if "host" in data:
        data["host"] = _organisation(data["host"], "host")
    if data.get("country"):
        data["country"] = data["country"].upper()
    for name in ("registration_opens_at", "registration_closes_at"):
        if name in data:
            data[name] = _aware(data[name], zone, name)
    return data


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


def _patch(payload: Schema, nullable: set[str]) -> dict[str, Any]:
    """The fields sent; null only where the field may be empty (e.g. `host`, `end_time`)."""
    data: dict[str, Any] = payload.dict(exclude_unset=True)
    nulls = {name: "This field may not be null." for name, v in data.items() if v is None}
    for name in nullable:
        nulls.pop(name, None)
    if nulls:
        raise ValidationError(nulls)
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


# --- events ---------------------------------------------------------------------------------


@router.get("/", response=list[EventOut])
@paginate(BoundedPageNumberPagination, page_size=50)
def event_list(request: HttpRequest, filters: Query[EventFilters]) -> QuerySet[Event]:
    """Published events (the secretariat also sees unpublished ones), newest first."""
    return queries.events_visible_to(request.user, **filters.dict())


@router.post("/", response={201: EventOut, **WRITE_ERRORS}, auth=ACTOR_AUTH)
@permission_required(PERM)
def event_create(request: HttpRequest, payload: EventIn) -> Status[Event]:
    data = _event_fields(payload.dict(), payload.time_zone)
    return Status(201, domain.event_create(actor=_actor(request), **data))


@router.get("/{slug}", response={200: EventOut, 404: DetailOut})
def event_detail(request: HttpRequest, slug: str) -> Event:
    return _event(request, slug)


@router.patch("/{slug}", response={200: EventOut, **WRITE_ERRORS}, auth=ACTOR_AUTH)
@permission_required(PERM)
def event_update(request: HttpRequest, slug: str, payload: EventPatch) -> Status[Event]:
    event = _event(request, slug)
    data = _patch(payload, {"host", "registration_opens_at", "registration_closes_at"})
    data = _event_fields(data, data.get("time_zone") or event.time_zone)
    return Status(200, domain.event_update(actor=_actor(request), event=event, **data))


@router.delete("/{slug}", response={204: None, **DELETE_ERRORS}, auth=ACTOR_AUTH)
@permission_required(PERM)
def event_delete(request: HttpRequest, slug: str) -> Status[dict[str, str]] | Status[None]:
    """Refused (409) once anyone is registered; unpublish the event instead."""
    event = _event(request, slug)
    try:
        domain.event_delete(actor=_actor(request), event=event)
    except domain.InUse as exc:
        return Status(409, {"detail": str(exc)})
    return Status(204, None)


# --- sessions -------------------------------------------------------------------------------


@router.get("/{slug}/sessions", response=list[SessionDetailOut])
@paginate(BoundedPageNumberPagination, page_size=100)
def session_list(
    request: HttpRequest, slug: str, filters: Query[SessionFilters]
) -> list[dict[str, Any]]:
    """The programme's sessions in time order; filter by day, kind or venue id."""
    event = _event(request, slug)
    qs = queries.sessions_filtered(event, **filters.dict()).select_related("event")
    return [session_out(s) for s in qs]


@router.post("/{slug}/sessions", response={201: SessionDetailOut, **WRITE_ERRORS}, auth=ACTOR_AUTH)
@permission_required(PERM)
def session_create(request: HttpRequest, slug: str, payload: SessionIn) -> Status[dict[str, Any]]:
    event = _event(request, slug)
    data = _session_fields(payload.dict())
    session = domain.session_create(actor=_actor(request), event=event, **data)
    return Status(201, session_out(_session(event, session.pk)))


@router.get("/{slug}/sessions/{session_id}", response={200: SessionDetailOut, 404: DetailOut})
def session_detail(request: HttpRequest, slug: str, session_id: int) -> dict[str, Any]:
    event = _event(request, slug)
    return session_out(_session(event, session_id))


@router.patch(
    "/{slug}/sessions/{session_id}",
    response={200: SessionDetailOut, **WRITE_ERRORS},
    auth=ACTOR_AUTH,
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
    "/{slug}/sessions/{session_id}", response={204: None, **DELETE_ERRORS}, auth=ACTOR_AUTH
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


# --- sponsors -------------------------------------------------------------------------------


def _sponsor(event: Event, sponsor_id: int) -> Sponsor:
    sponsor: Sponsor = _by_id(
        queries.sponsors_of(event).select_related("event"), sponsor_id, "sponsor"
    )
    return sponsor


@router.get("/{slug}/sponsors", response=list[SponsorDetailOut])
@paginate(BoundedPageNumberPagination, page_size=100)
def sponsor_list(request: HttpRequest, slug: str) -> QuerySet[Sponsor]:
    return queries.sponsors_of(_event(request, slug)).select_related("event")


@router.post("/{slug}/sponsors", response={201: SponsorDetailOut, **WRITE_ERRORS}, auth=ACTOR_AUTH)
@permission_required(PERM)
def sponsor_create(request: HttpRequest, slug: str, payload: SponsorIn) -> Status[Sponsor]:
    event = _event(request, slug)
    data = payload.dict()
    data["organisation"] = _organisation(data["organisation"], "organisation")
    return Status(201, domain.sponsor_create(actor=_actor(request), event=event, **data))


@router.get("/{slug}/sponsors/{sponsor_id}", response={200: SponsorDetailOut, 404: DetailOut})
def sponsor_detail(request: HttpRequest, slug: str, sponsor_id: int) -> Sponsor:
    return _sponsor(_event(request, slug), sponsor_id)


@router.patch(
    "/{slug}/sponsors/{sponsor_id}",
    response={200: SponsorDetailOut, **WRITE_ERRORS},
    auth=ACTOR_AUTH,
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
    "/{slug}/sponsors/{sponsor_id}", response={204: None, **DELETE_ERRORS}, auth=ACTOR_AUTH
)
@permission_required(PERM)
def sponsor_delete(request: HttpRequest, slug: str, sponsor_id: int) -> Status[None]:
    sponsor = _sponsor(_event(request, slug), sponsor_id)
    domain.sponsor_delete(actor=_actor(request), sponsor=sponsor)
    return Status(204, None)


# --- venues ---------------------------------------------------------------------------------


def _venue(venue_id: int) -> Venue:
    venue: Venue = _by_id(queries.venues(), venue_id, "venue")
    return venue


@venues_router.get("/", response=list[VenueOut])
@paginate(BoundedPageNumberPagination, page_size=100)
def venue_list(request: HttpRequest, filters: Query[VenueFilters]) -> QuerySet[Venue]:
    """Venues by name, with the number of sessions held at each."""
    return queries.venues(**filters.dict())


@venues_router.post("/", response={201: VenueOut, **WRITE_ERRORS}, auth=ACTOR_AUTH)
@permission_required(PERM)
def venue_create(request: HttpRequest, payload: VenueIn) -> Status[Venue]:
    data = payload.dict()
    data["country"] = data["country"].upper()
    venue = domain.venue_create(actor=_actor(request), **data)
    return Status(201, _venue(venue.pk))


@venues_router.get("/{venue_id}", response={200: VenueOut, 404: DetailOut})
def venue_detail(request: HttpRequest, venue_id: int) -> Venue:
    return _venue(venue_id)


@venues_router.patch("/{venue_id}", response={200: VenueOut, **WRITE_ERRORS}, auth=ACTOR_AUTH)
@permission_required(PERM)
def venue_update(request: HttpRequest, venue_id: int, payload: VenuePatch) -> Status[Venue]:
    data = _patch(payload, set())
    if data.get("country"):
        data["country"] = data["country"].upper()
    domain.venue_update(actor=_actor(request), venue=_venue(venue_id), **data)
    return Status(200, _venue(venue_id))


@venues_router.delete("/{venue_id}", response={204: None, **DELETE_ERRORS}, auth=ACTOR_AUTH)
@permission_required(PERM)
def venue_delete(request: HttpRequest, venue_id: int) -> Status[dict[str, str]] | Status[None]:
    """Refused (409) while a session is held there."""
    try:
        domain.venue_delete(actor=_actor(request), venue=_venue(venue_id))
    except domain.InUse as exc:
        return Status(409, {"detail": str(exc)})
    return Status(204, None)
