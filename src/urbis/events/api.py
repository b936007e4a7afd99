"""REST endpoints of events: handlers parse, call one query or domain function, serialise.

Reads of the programme and statistics are public; registrations need a session (a focal
point sees and registers only its own member's delegates); check-in is for the secretariat.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from urbis.common.actor import ACTOR_AUTH, Actor, actor_of, permission_required
from urbis.common.errors import ErrorOut as DetailOut
from urbis.common.errors import ErrorOut as ErrorsOut
from urbis.common.pagination import BoundedPageNumberPagination
from urbis.events import domain, queries, rules
from urbis.events.models import Event, Registration, Session
from urbis.members.models import Organisation

router = Router(tags=["events"])


class EventOut(Schema):
    id: int
    slug: str
    name: str
    theme: str
    starts_on: dt.date
    ends_on: dt.date
    time_zone: str
    city: str
    country: str
    host: str | None
    official_language: str
    interpretation: str
    description: str
    is_public: bool
    registration_open: bool
    registration_opens_at: dt.datetime | None
    registration_closes_at: dt.datetime | None
    days: list[dt.date]

    @staticmethod
    def resolve_days(obj: Event) -> list[dt.date]:
        return queries.event_days(obj)

    @staticmethod
    def resolve_country(obj: Event) -> str:
        return str(obj.country)

    @staticmethod
    def resolve_host(obj: Event) -> str | None:
        return obj.host.slug if obj.host else None


class PlaceOut(Schema):
    name: str
    address: str


class PersonOut(Schema):
    role: str
    name: str
    position: str


class SessionOut(Schema):
    id: int
    day: dt.date
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    time_note: str
    title: str
    kind: str
    venue: str
    address: str
    room: str
    official_language: str
    interpretation: str
    online: bool
    capacity: int | None
    taken: int
    is_assembly: bool
    people: list[PersonOut]
    pickup_places: list[PlaceOut]


class DayOut(Schema):
    number: int
    day: dt.date
    sessions: list[SessionOut]


class SponsorOut(Schema):
    name: str
    description: str
    website: str


class ProgrammeOut(Schema):
    event: EventOut
    days: list[DayOut]
    sponsors: list[SponsorOut]


class RegionOut(Schema):
    region: str
    count: int
    cities: list[str]


class StatisticsOut(Schema):
    cities: int
    cities_by_region: list[RegionOut]
    countries: list[str]
    mayoral_level: int
    organisations: list[str]
    embassies: list[str]
    delegates: int
    on_site: int
    online: int
    checked_in: int
    definitions: dict[str, str]


class RegistrationOut(Schema):
    id: int
    code: str
    organisation: str
    category: str
    person_name: str
    position: str
    attendance: str
    mayoral_level: bool
    head_of_delegation: bool
    status: str
    synthetic: bool
    sessions: list[int]

    @staticmethod
    def resolve_organisation(obj: Registration) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_category(obj: Registration) -> str:
        return obj.organisation.category

    @staticmethod
    def resolve_sessions(obj: Registration) -> list[int]:
        return [s.session_id for s in obj.signups.all()]


class RegistrationIn(Schema):
    organisation: str  # the organisation's slug
    person_name: str
    position: str = ""
    email: str = ""
    attendance: str = "on_site"
    mayoral_level: bool = False
    head_of_delegation: bool = False
    hotel: str = ""
    dietary_needs: str = ""
    airport_transfer: str = "none"
    sessions: list[int] = []


class SignupIn(Schema):
    session: int


class CheckInIn(Schema):
    code: str
    day: dt.date | None = None
    method: str = "scan"


class CheckInOut(Schema):
    created: bool
    day: dt.date
    at: dt.datetime
    registration: RegistrationOut


class AttendanceOut(Schema):
    organisation: str
    mode: str
    mayoral_level: bool
    delegates: int


def _session_out(s: Session) -> dict[str, object]:
    return {
        "id": s.pk,
        "day": s.day,
        "starts_at": s.starts_at,
        "ends_at": s.ends_at,
        "time_note": s.time_note,
        "title": s.title,
        "kind": s.kind,
        "venue": s.venue.name if s.venue else "",
        "address": s.venue.address if s.venue else "",
        "room": s.room,
        "official_language": s.official_language,
        "interpretation": s.interpretation,
        "online": s.online,
        "capacity": s.capacity,
        "taken": s.taken,  # type: ignore[attr-defined]
        "is_assembly": s.is_assembly,
        "people": [
            {"role": p.role, "name": p.name, "position": p.position} for p in s.people.all()
        ],
        "pickup_places": [{"name": p.name, "address": p.address} for p in s.pickup_places.all()],
    }


def _public_event(slug: str) -> Event:
    return get_object_or_404(Event, slug=slug, is_public=True)


def _actor(request: HttpRequest) -> Actor:
    """The actor `ACTOR_AUTH` resolved (the operation refuses a request without one)."""
    actor = actor_of(request)
    assert actor is not None
    return actor


def _registration(request: HttpRequest, slug: str, code: str, **_: object) -> Registration:
    """The registration of the path, looked up once: the object of the operation's rule and
    the registration the handler changes."""
    found = getattr(request, "_events_registration", None)
    if not isinstance(found, Registration):
        found = get_object_or_404(
            Registration.objects.select_related("organisation", "event"),
            event__slug=slug,
            code=rules.parse_code(code),
        )
        setattr(request, "_events_registration", found)  # noqa: B010 - no typed attribute
    return found


@router.get("/{slug}/programme", response=ProgrammeOut)
def programme(request: HttpRequest, slug: str) -> dict[str, object]:
    event = _public_event(slug)
    return {
        "event": event,
        "days": [
            {"number": d.number, "day": d.day, "sessions": [_session_out(s) for s in d.sessions]}
            for d in queries.programme_days(event)
        ],
        "sponsors": list(event.sponsors.all()),
    }


@router.get("/{slug}/statistics", response=StatisticsOut)
def statistics(request: HttpRequest, slug: str) -> dict[str, object]:
    stats = queries.statistics(_public_event(slug))
    return {
        "cities": stats.city_count,
        "cities_by_region": stats.cities_by_region,
        "countries": stats.countries,
        "mayoral_level": stats.mayoral_level,
        "organisations": [o.name for o in stats.organisations],
        "embassies": [o.name for o in stats.embassies],
        "delegates": stats.delegates,
        "on_site": stats.on_site,
        "online": stats.online,
        "checked_in": stats.checked_in,
        "definitions": stats.definitions,
    }


@router.get("/{slug}/registrations", response=list[RegistrationOut], auth=ACTOR_AUTH)
@paginate(BoundedPageNumberPagination, page_size=100)
def registration_list(request: HttpRequest, slug: str, status: str = "") -> QuerySet[Registration]:
    """The secretariat sees every registration; a focal point its own member's only (any
    signed-in caller is answered, with the registrations it may see)."""
    event = get_object_or_404(Event, slug=slug)
    qs = queries.registrations_visible_to(_actor(request).user, event).prefetch_related("signups")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("organisation__name", "person_name", "id")


@router.post(
    "/{slug}/registrations",
    response={201: RegistrationOut, 403: DetailOut, 422: ErrorsOut},
    auth=ACTOR_AUTH,
)
def registration_create(
    request: HttpRequest, slug: str, payload: RegistrationIn
) -> Status[Registration]:
    """Register a delegate: the secretariat for any member, a focal point for its own."""
    event = get_object_or_404(Event, slug=slug)
    actor = _actor(request)
    organisation = Organisation.objects.filter(slug=payload.organisation).first()
    if organisation is not None and not actor.has_perm("events.register_delegate", organisation):
        raise PermissionDenied(f"You may not register delegates of {organisation.name}.")
    # An id beyond the database's integer range names no session (and must not reach SQLite).
    ids = [i for i in payload.sessions if rules.id_in_range(i)]
    sessions = list(Session.objects.filter(pk__in=ids))
    missing = set(payload.sessions) - {s.pk for s in sessions}
    if missing:
        raise ValidationError({"sessions": [f"Unknown session ids: {sorted(missing)}."]})
    data = payload.dict(exclude={"organisation", "sessions"})
    reg = domain.registration_create(
        actor=actor, event=event, organisation=organisation, sessions=sessions, **data
    )
    return Status(201, reg)


@router.post(
    "/{slug}/registrations/{code}/approve",
    response={200: RegistrationOut, 403: DetailOut, 422: ErrorsOut},
    auth=ACTOR_AUTH,
)
@permission_required("events.approve_registration")
def registration_approve(request: HttpRequest, slug: str, code: str) -> Status[Registration]:
    reg = domain.registration_approve(
        actor=_actor(request), registration=_registration(request, slug, code)
    )
    return Status(200, reg)


class RejectIn(Schema):
    reason: str = Field(min_length=1, max_length=1000)


@router.post(
    "/{slug}/registrations/{code}/reject",
    response={200: RegistrationOut, 403: DetailOut, 422: ErrorsOut},
    auth=ACTOR_AUTH,
)
@permission_required("events.approve_registration")
def registration_reject(
    request: HttpRequest, slug: str, code: str, payload: RejectIn
) -> Status[Registration]:
    """Turn a pending registration down; the reason is sent to the delegate."""
    reg = domain.registration_reject(
        actor=_actor(request),
        registration=_registration(request, slug, code),
        reason=payload.reason,
    )
    return Status(200, reg)


@router.post(
    "/{slug}/registrations/{code}/signups",
    response={201: RegistrationOut, 403: DetailOut, 404: DetailOut, 422: ErrorsOut},
    auth=ACTOR_AUTH,
)
@permission_required("events.view_registration", obj=_registration)
def session_signup(
    request: HttpRequest, slug: str, code: str, payload: SignupIn
) -> Status[Registration] | Status[dict[str, str]]:
    """Sign a registered delegate up for a session or tour; refused when it is full."""
    reg = _registration(request, slug, code)
    session = (
        Session.objects.filter(pk=payload.session).first()
        if rules.id_in_range(payload.session)
        else None
    )
    if session is None:
        return Status(404, {"detail": f"No session {payload.session}."})
    domain.session_signup(actor=_actor(request), registration=reg, session=session)
    return Status(201, reg)


@router.post(
    "/{slug}/checkins",
    response={200: CheckInOut, 201: CheckInOut, 403: DetailOut, 422: ErrorsOut},
    auth=ACTOR_AUTH,
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
    "/{slug}/attendance", response={200: list[AttendanceOut], 403: DetailOut}, auth=ACTOR_AUTH
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
