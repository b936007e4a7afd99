"""Creating, changing and deleting sessions of an event's programme, by id.

A session's times are entered as wall-clock times on a day of the event, in the event's
time zone, and stored as UTC instants; times not sent with a change keep their wall-clock
value. Its speakers, moderators and meeting points are lists replaced as a whole.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, TypedDict, Unpack

from django.db import transaction

from urbis.common.actor import ActorArg
from urbis.common.audit import audit_record, snapshot
from urbis.events import rules
from urbis.events.domain.editing import InUse, _Errors, _save, _text
from urbis.events.domain.registration import LIVE_STATUSES
from urbis.events.models import (
    Event,
    PickupPlace,
    Session,
    SessionKind,
    SessionPerson,
    SessionSignup,
    Venue,
)


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


def _check_and_write(
    session: Session,
    errors: _Errors,
    *,
    start_time: dt.time | None,
    end_time: dt.time | None,
    people: Sequence[PersonFields] | None,
    places: Sequence[PlaceFields] | None,
) -> None:
    """Check a new or changed session with its times and lists, then save it and them
    (a title already on that day's programme, raced past the check, names the title)."""
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


def session_create(*, actor: ActorArg, event: Event, **fields: Unpack[SessionFields]) -> Session:
    """Add a session to an event's programme; times are wall-clock times in its zone."""
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
        _check_and_write(
            session, errors, start_time=start_time, end_time=end_time, people=people, places=places
        )
        audit_record(
            actor=actor,
            action="session.create",
            target=session,
            after={**snapshot(session), **_lists_snapshot(session)},
        )
    return session


def session_update(
    *, actor: ActorArg, session: Session, **changes: Unpack[SessionFields]
) -> Session:
    """Change a session; times not sent keep their wall-clock value (also on a new day)."""
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
        _check_and_write(
            current, errors, start_time=start_time, end_time=end_time, people=people, places=places
        )
        after = {**snapshot(current), **_lists_snapshot(current)}
        if before != after:
            audit_record(
                actor=actor, action="session.update", target=current, before=before, after=after
            )
    return current


def session_delete(*, actor: ActorArg, session: Session) -> None:
    """Delete a session nobody has signed up for."""
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
