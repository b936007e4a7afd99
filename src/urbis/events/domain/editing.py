"""Creating, changing and deleting the programme by id: events, venues, sessions, sponsors.

The staff pages and the API call these (the demo loader keeps the upserts of programme.py).
A session's times are entered as wall-clock times on a day of the event, in the event's
time zone, and stored as UTC instants; changing an event's time zone keeps its sessions'
wall-clock times. Every error names its field, nothing is half-written, and a delete that
would lose registrations or check-ins is refused with `InUse` (the API answers 409).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.text import slugify

from urbis.common.audit import audit_record, snapshot
from urbis.events import rules
from urbis.events.domain.registration import LIVE_STATUSES, _require_staff
from urbis.events.models import (
    CheckIn,
    Event,
    PickupPlace,
    Registration,
    Session,
    SessionKind,
    SessionPerson,
    SessionSignup,
    Sponsor,
    Venue,
)
from urbis.members.models import Organisation

# Bounds a secretariat's event can have: a date in this range, at most this many days long.
EARLIEST = dt.date(1990, 1, 1)
LATEST = dt.date(2199, 12, 31)
MAX_EVENT_DAYS = 31


class InUse(Exception):
    """A delete refused because registrations, check-ins or sessions depend on the object."""


class EventFields(TypedDict, total=False):
    slug: str
    name: str
    theme: str
    starts_on: dt.date
    ends_on: dt.date
    time_zone: str
    city: str
    country: str
    host: Organisation | None
    official_language: str
    interpretation: str
    description: str
    is_public: bool
    registration_open: bool
    registration_opens_at: dt.datetime | None
    registration_closes_at: dt.datetime | None


class PersonFields(TypedDict, total=False):
    role: str
    name: str
    position: str


class PlaceFields(TypedDict, total=False):
    name: str
    address: str


class SessionFields(TypedDict, total=False):
    title: str
    kind: str
    day: dt.date
    start_time: dt.time | None
    end_time: dt.time | None
    time_note: str
    venue: Venue | None
    room: str
    description: str
    official_language: str
    interpretation: str
    online: bool
    capacity: int | None
    requires_signup: bool
    is_assembly: bool
    people: Sequence[PersonFields]
    pickup_places: Sequence[PlaceFields]


class VenueFields(TypedDict, total=False):
    name: str
    address: str
    city: str
    country: str


class SponsorFields(TypedDict, total=False):
    name: str
    organisation: Organisation | None
    description: str
    website: str
    order: int


class _Errors:
    """Field errors collected before anything is written."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.by_field.setdefault(field, []).append(message)

    def clean(self, obj: Any, exclude: Sequence[str] = ()) -> None:
        """The model's own field checks (lengths, choices, URLs), kept only where no error
        of ours already speaks for the field."""
        try:
            obj.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                if field not in self.by_field:
                    self.by_field[field] = list(messages)

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def _text(value: str) -> str:
    return " ".join(value.split())


def _check_date(errors: _Errors, field: str, value: dt.date) -> None:
    if not EARLIEST <= value <= LATEST:
        errors.add(field, f"Enter a date between {EARLIEST} and {LATEST}.")


# --- events ---------------------------------------------------------------------------------


def _validate_event(event: Event, errors: _Errors, *, before: Event | None) -> None:
    event.name = _text(event.name)
    event.city = _text(event.city)
    if not event.name:
        errors.add("name", "Enter the event's name.")
    if not event.slug:
        event.slug = slugify(event.name)[:80]
    if event.slug != slugify(event.slug) or not event.slug:
        errors.add("slug", "Use lower-case letters, digits and hyphens only.")
    elif event.slug in rules.RESERVED_SLUGS:
        errors.add("slug", f"“{event.slug}” is a word of the event pages; choose another.")
    elif Event.objects.filter(slug=event.slug).exclude(pk=event.pk).exists():
        errors.add("slug", f"Another event already has the slug “{event.slug}”.")
    if not rules.is_time_zone(event.time_zone):
        errors.add("time_zone", f"“{event.time_zone}” is not an IANA time zone name.")
    _check_date(errors, "starts_on", event.starts_on)
    _check_date(errors, "ends_on", event.ends_on)
    if event.ends_on < event.starts_on:
        errors.add("ends_on", "The event ends before it starts.")
    elif (event.ends_on - event.starts_on).days + 1 > MAX_EVENT_DAYS:
        errors.add("ends_on", f"An event lasts at most {MAX_EVENT_DAYS} days.")
    opens, closes = event.registration_opens_at, event.registration_closes_at
    if opens and closes and closes <= opens:
        errors.add("registration_closes_at", "Registration closes before it opens.")
    if before is not None and "starts_on" not in errors.by_field:
        outside = Q(day__lt=event.starts_on) | Q(day__gt=event.ends_on)
        n_sessions = Session.objects.filter(outside, event=event).count()
        if n_sessions:
            errors.add(
                "starts_on",
                f"{n_sessions} session(s) fall outside {event.starts_on} to {event.ends_on}; "
                "move or delete them first.",
            )
        n_checkins = CheckIn.objects.filter(outside, registration__event=event).count()
        if n_checkins:
            errors.add(
                "starts_on",
                f"{n_checkins} check-in(s) were recorded outside {event.starts_on} to "
                f"{event.ends_on}.",
            )
    errors.clean(event, exclude=["host"])


def _save(obj: Any, field: str, message: str) -> None:
    """Save in a savepoint; a uniqueness clash that raced past the checks names its field."""
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise ValidationError({field: message}) from exc


def event_create(*, actor: Any, **fields: Unpack[EventFields]) -> Event:
    """Create an event (name, dates and time zone required; the slug defaults from the name)."""
    _require_staff(actor, "create events")
    event = Event(**{"slug": "", "name": "", "time_zone": "", **fields})
    errors = _Errors()
    for required in ("starts_on", "ends_on"):
        if fields.get(required) is None:
            errors.add(required, "Enter a date.")
    errors.raise_if_any()
    _validate_event(event, errors, before=None)
    errors.raise_if_any()
    with transaction.atomic():
        _save(event, "slug", f"Another event already has the slug “{event.slug}”.")
        audit_record(actor=actor, action="event.create", target=event, after=snapshot(event))
    return event


def event_update(*, actor: Any, event: Event, **changes: Unpack[EventFields]) -> Event:
    """Change an event; a new time zone keeps its sessions' wall-clock times."""
    _require_staff(actor, "change events")
    with transaction.atomic():
        current = Event.objects.select_for_update().get(pk=event.pk)
        before = snapshot(current)
        old_zone = current.time_zone
        for name, value in changes.items():
            setattr(current, name, value)
        errors = _Errors()
        _validate_event(current, errors, before=event)
        errors.raise_if_any()
        if current.time_zone != old_zone:
            _rezone_sessions(current, old_zone, errors)
            errors.raise_if_any()
        after = snapshot(current)
        if before != after:
            _save(current, "slug", f"Another event already has the slug “{current.slug}”.")
            audit_record(
                actor=actor, action="event.update", target=current, before=before, after=after
            )
    return current


def _rezone_sessions(event: Event, old_zone: str, errors: _Errors) -> None:
    for s in Session.objects.select_for_update().filter(event=event):
        for attr in ("starts_at", "ends_at"):
            instant = getattr(s, attr)
            if instant is None:
                continue
            wall = rules.utc_to_local(instant, old_zone)
            try:
                setattr(s, attr, rules.local_to_utc(wall.date(), wall.time(), event.time_zone))
            except ValueError as exc:
                errors.add("time_zone", f"“{s.title}”: {exc}")
        s.save(update_fields=["starts_at", "ends_at"])


def event_delete(*, actor: Any, event: Event) -> None:
    """Delete an event with its programme; refused once anyone is registered for it."""
    _require_staff(actor, "delete events")
    with transaction.atomic():
        current = Event.objects.select_for_update().get(pk=event.pk)
        n_regs = Registration.objects.filter(event=current).count()
        n_checkins = CheckIn.objects.filter(registration__event=current).count()
        if n_regs or n_checkins:
            raise InUse(
                f"{current.name} has {n_regs} registration(s) and {n_checkins} check-in(s); "
                "it is kept for the record. Unpublish it instead."
            )
        audit_record(actor=actor, action="event.delete", target=current, before=snapshot(current))
        current.delete()


# --- venues ---------------------------------------------------------------------------------


def _validate_venue(venue: Venue, errors: _Errors) -> None:
    venue.name = _text(venue.name)
    venue.address = _text(venue.address)
    venue.city = _text(venue.city)
    if not venue.name:
        errors.add("name", "Enter the venue's name.")
    elif Venue.objects.filter(name=venue.name, address=venue.address).exclude(pk=venue.pk).exists():
        errors.add("name", f"{venue.name} at “{venue.address}” already exists.")
    errors.clean(venue)


def venue_create(*, actor: Any, **fields: Unpack[VenueFields]) -> Venue:
    """Create a venue: a named place with an address, used by sessions of any event."""
    _require_staff(actor, "create venues")
    venue = Venue(**{"name": "", **fields})
    errors = _Errors()
    _validate_venue(venue, errors)
    errors.raise_if_any()
    with transaction.atomic():
        _save(venue, "name", f"{venue.name} at “{venue.address}” already exists.")
        audit_record(actor=actor, action="venue.create", target=venue, after=snapshot(venue))
    return venue


def venue_update(*, actor: Any, venue: Venue, **changes: Unpack[VenueFields]) -> Venue:
    _require_staff(actor, "change venues")
    with transaction.atomic():
        current = Venue.objects.select_for_update().get(pk=venue.pk)
        before = snapshot(current)
        for name, value in changes.items():
            setattr(current, name, value)
        errors = _Errors()
        _validate_venue(current, errors)
        errors.raise_if_any()
        after = snapshot(current)
        if before != after:
            _save(current, "name", f"{current.name} at “{current.address}” already exists.")
            audit_record(
                actor=actor, action="venue.update", target=current, before=before, after=after
            )
    return current


def venue_delete(*, actor: Any, venue: Venue) -> None:
    """Delete a venue no session uses."""
    _require_staff(actor, "delete venues")
    with transaction.atomic():
        current = Venue.objects.select_for_update().get(pk=venue.pk)
        n = Session.objects.filter(venue=current).count()
        if n:
            raise InUse(f"{current.name} is the venue of {n} session(s); move them first.")
        audit_record(actor=actor, action="venue.delete", target=current, before=snapshot(current))
        current.delete()


# --- sessions -------------------------------------------------------------------------------


def _local_times(session: Session, zone: str) -> tuple[dt.time | None, dt.time | None]:
    def wall(at: dt.datetime | None) -> dt.time | None:
        return rules.utc_to_local(at, zone).time() if at else None

    return wall(session.starts_at), wall(session.ends_at)


def _validate_session(
    session: Session,
    errors: _Errors,
    *,
    start_time: dt.time | None,
    end_time: dt.time | None,
    people: Sequence[PersonFields] | None,
    pickup_places: Sequence[PlaceFields] | None,
) -> None:
    event = session.event
    session.title = _text(session.title)
    if not session.title:
        errors.add("title", "Enter the session's title.")
    if session.kind not in SessionKind.values:
        errors.add("kind", f"Choose a kind of session (got “{session.kind}”).")
    if not event.starts_on <= session.day <= event.ends_on:
        errors.add(
            "day",
            f"{session.day} is not a day of {event.name} ({event.starts_on} to {event.ends_on}).",
        )
    elif session.title:
        clash = Session.objects.filter(event=event, day=session.day, title=session.title)
        if clash.exclude(pk=session.pk).exists():
            errors.add("title", f"“{session.title}” is already on the programme of {session.day}.")
    if end_time is not None and start_time is None:
        errors.add("start_time", "Enter the start time too, or neither.")
    if "day" not in errors.by_field:
        for field, value, attr in (
            ("start_time", start_time, "starts_at"),
            ("end_time", end_time, "ends_at"),
        ):
            try:
                instant = rules.local_to_utc(session.day, value, event.time_zone) if value else None
            except ValueError as exc:
                errors.add(field, str(exc))
            else:
                setattr(session, attr, instant)
        if session.starts_at and session.ends_at and session.ends_at < session.starts_at:
            errors.add("end_time", "The session ends before it starts.")
    if session.capacity is not None:
        if session.capacity < 0:
            errors.add("capacity", "Enter a number of places of 0 or more, or leave it empty.")
        elif session.pk:
            taken = SessionSignup.objects.filter(
                session=session, registration__status__in=LIVE_STATUSES
            ).count()
            if session.capacity < taken:
                errors.add(
                    "capacity", f"{taken} places are already taken; the capacity cannot be lower."
                )
    if session.is_assembly:
        other = Session.objects.filter(event=event, is_assembly=True).exclude(pk=session.pk).first()
        if other is not None:
            errors.add("is_assembly", f"“{other.title}” is already the statutory session.")
    if session.venue is not None and session.venue.pk is None:
        errors.add("venue", "Choose an existing venue.")
    if people is not None:
        seen: set[tuple[str, str]] = set()
        for n, person in enumerate(people, start=1):
            name, role = _text(person.get("name", "")), person.get("role", "")
            if not name:
                errors.add("people", f"Person {n}: enter a name.")
            if role not in SessionPerson.Role.values:
                errors.add("people", f"Person {n}: “{role}” is not a role of a session.")
            if (name, role) in seen:
                errors.add("people", f"Person {n}: {name} is listed twice as {role}.")
            seen.add((name, role))
            if len(name) > 200 or len(person.get("position", "")) > 300:
                errors.add("people", f"Person {n}: the name or position is too long.")
    if pickup_places is not None:
        names: set[str] = set()
        for n, place in enumerate(pickup_places, start=1):
            name = _text(place.get("name", ""))
            if not name:
                errors.add("pickup_places", f"Place {n}: enter a name.")
            if name in names:
                errors.add("pickup_places", f"Place {n}: {name} is listed twice.")
            names.add(name)
            if len(name) > 200 or len(place.get("address", "")) > 300:
                errors.add("pickup_places", f"Place {n}: the name or address is too long.")
    errors.clean(session, exclude=["event", "venue"])


def _write_lists(
    session: Session,
    people: Sequence[PersonFields] | None,
    pickup_places: Sequence[PlaceFields] | None,
) -> None:
    if people is not None:
        session.people.all().delete()
        SessionPerson.objects.bulk_create(
            SessionPerson(
                session=session,
                role=p["role"],
                name=_text(p["name"]),
                position=_text(p.get("position", "")),
                order=order,
            )
            for order, p in enumerate(people)
        )
    if pickup_places is not None:
        session.pickup_places.all().delete()
        PickupPlace.objects.bulk_create(
            PickupPlace(
                session=session,
                name=_text(p["name"]),
                address=_text(p.get("address", "")),
                order=order,
            )
            for order, p in enumerate(pickup_places)
        )


def _lists_snapshot(session: Session) -> dict[str, Any]:
    return {
        "people": [[p.role, p.name, p.position] for p in session.people.order_by("order")],
        "pickup_places": [[p.name, p.address] for p in session.pickup_places.order_by("order")],
    }


def session_create(*, actor: Any, event: Event, **fields: Unpack[SessionFields]) -> Session:
    """Add a session to an event's programme; times are wall-clock times in its zone."""
    _require_staff(actor, "change the programme")
    data: dict[str, Any] = dict(fields)
    start_time, end_time = data.pop("start_time", None), data.pop("end_time", None)
    people, places = data.pop("people", None), data.pop("pickup_places", None)
    errors = _Errors()
    if data.get("day") is None:
        errors.add("day", "Choose a day of the event.")
        errors.raise_if_any()
    session = Session(event=event, **{"title": "", "kind": SessionKind.SESSION, **data})
    with transaction.atomic():
        Event.objects.select_for_update().get(pk=event.pk)
        _validate_session(
            session,
            errors,
            start_time=start_time,
            end_time=end_time,
            people=people,
            pickup_places=places,
        )
        errors.raise_if_any()
        _save(session, "title", f"“{session.title}” is already on the programme of {session.day}.")
        _write_lists(session, people, places)
        audit_record(
            actor=actor,
            action="session.create",
            target=session,
            after={**snapshot(session), **_lists_snapshot(session)},
        )
    return session


def session_update(*, actor: Any, session: Session, **changes: Unpack[SessionFields]) -> Session:
    """Change a session; times not sent keep their wall-clock value (also on a new day)."""
    _require_staff(actor, "change the programme")
    data: dict[str, Any] = dict(changes)
    people, places = data.pop("people", None), data.pop("pickup_places", None)
    with transaction.atomic():
        Event.objects.select_for_update().get(pk=session.event_id)
        current = Session.objects.select_related("event", "venue").get(pk=session.pk)
        before = {**snapshot(current), **_lists_snapshot(current)}
        old_start, old_end = _local_times(current, current.event.time_zone)
        start_time = data.pop("start_time", old_start)
        end_time = data.pop("end_time", old_end)
        for name, value in data.items():
            setattr(current, name, value)
        errors = _Errors()
        _validate_session(
            current,
            errors,
            start_time=start_time,
            end_time=end_time,
            people=people,
            pickup_places=places,
        )
        errors.raise_if_any()
        _save(current, "title", f"“{current.title}” is already on the programme of {current.day}.")
        _write_lists(current, people, places)
        after = {**snapshot(current), **_lists_snapshot(current)}
        if before != after:
            audit_record(
                actor=actor, action="session.update", target=current, before=before, after=after
            )
    return current


def session_delete(*, actor: Any, session: Session) -> None:
    """Delete a session nobody has signed up for."""
    _require_staff(actor, "change the programme")
    with transaction.atomic():
        current = Session.objects.select_for_update().get(pk=session.pk)
        n = SessionSignup.objects.filter(session=current).count()
        if n:
            raise InUse(
                f"{n} registered delegate(s) signed up for “{current.title}”; it cannot be deleted."
            )
        audit_record(
            actor=actor,
            action="session.delete",
            target=current,
            before={**snapshot(current), **_lists_snapshot(current)},
        )
        current.delete()


# --- sponsors -------------------------------------------------------------------------------


def _validate_sponsor(sponsor: Sponsor, errors: _Errors) -> None:
    sponsor.name = _text(sponsor.name)
    if not sponsor.name:
        errors.add("name", "Enter the sponsor's name.")
    elif (
        Sponsor.objects.filter(event_id=sponsor.event_id, name=sponsor.name)
        .exclude(pk=sponsor.pk)
        .exists()
    ):
        errors.add("name", f"{sponsor.name} is already a sponsor of this event.")
    errors.clean(sponsor, exclude=["event", "organisation"])


def sponsor_create(*, actor: Any, event: Event, **fields: Unpack[SponsorFields]) -> Sponsor:
    """Add a sponsor to an event (listed in `order`, then by name)."""
    _require_staff(actor, "change the programme")
    sponsor = Sponsor(event=event, **{"name": "", **fields})
    errors = _Errors()
    _validate_sponsor(sponsor, errors)
    errors.raise_if_any()
    with transaction.atomic():
        _save(sponsor, "name", f"{sponsor.name} is already a sponsor of this event.")
        audit_record(actor=actor, action="sponsor.create", target=sponsor, after=snapshot(sponsor))
    return sponsor


def sponsor_update(*, actor: Any, sponsor: Sponsor, **changes: Unpack[SponsorFields]) -> Sponsor:
    _require_staff(actor, "change the programme")
    with transaction.atomic():
        current = Sponsor.objects.select_for_update().get(pk=sponsor.pk)
        before = snapshot(current)
        for name, value in changes.items():
            setattr(current, name, value)
        errors = _Errors()
        _validate_sponsor(current, errors)
        errors.raise_if_any()
        after = snapshot(current)
        if before != after:
            _save(current, "name", f"{current.name} is already a sponsor of this event.")
            audit_record(
                actor=actor, action="sponsor.update", target=current, before=before, after=after
            )
    return current


def sponsor_delete(*, actor: Any, sponsor: Sponsor) -> None:
    _require_staff(actor, "change the programme")
    with transaction.atomic():
        current = Sponsor.objects.select_for_update().get(pk=sponsor.pk)
        audit_record(actor=actor, action="sponsor.delete", target=current, before=snapshot(current))
        current.delete()
