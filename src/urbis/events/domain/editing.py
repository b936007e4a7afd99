"""Creating, changing and deleting the programme by id: events, venues, sponsors (sessions:
`sessions.py`).

The staff pages and the API call these (the demo loader keeps the upserts of programme.py).
A session's times are entered as wall-clock times on a day of the event, in the event's
time zone, and stored as UTC instants; changing an event's time zone keeps its sessions'
wall-clock times. Every error names its field, nothing is half-written, and a delete that
would lose registrations or check-ins is refused with `InUse` (the API answers 409).
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Generic, TypedDict, TypeVar, Unpack

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils.text import slugify

from urbis.common.actor import ActorArg
from urbis.common.audit import audit_record, audited_update, snapshot
from urbis.events import rules
from urbis.events.models import (
    CheckIn,
    Event,
    Registration,
    Session,
    Sponsor,
    Venue,
)
from urbis.members.models import Organisation

# Bounds a secretariat's event can have: a date in this range, at most this many days long.
EARLIEST = dt.date(1990, 1, 1)
LATEST = dt.date(2199, 12, 31)
MAX_EVENT_DAYS = 31

M = TypeVar("M", bound=models.Model)


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


@contextmanager
def _unique(field: str, message: str) -> Iterator[None]:
    """A savepoint; a uniqueness clash that raced past the checks names its field."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        raise ValidationError({field: message}) from exc


def _save(obj: models.Model, field: str, message: str) -> None:
    """Save in a savepoint; a uniqueness clash that raced past the checks names its field."""
    with _unique(field, message):
        obj.save()


# --- one create and one update for every kind of row ----------------------------------------


@dataclass(frozen=True)
class _Kind(Generic[M]):
    """How a kind of programme row is checked, and what its uniqueness clash says.

    `validate` tidies the row's text and adds its errors (a row without a pk is being
    created); `clash` words the database's refusal of a duplicate on `clash_field`.
    """

    validate: Callable[[M, _Errors], None]
    clash_field: str
    clash: Callable[[M], str]


def _create(obj: M, kind: _Kind[M], *, actor: ActorArg) -> M:
    """Check a new row, save it and record "<model>.create" with its values."""
    errors = _Errors()
    kind.validate(obj, errors)
    errors.raise_if_any()
    with transaction.atomic():
        _save(obj, kind.clash_field, kind.clash(obj))
        audit_record(
            actor=actor, action=f"{obj._meta.model_name}.create", target=obj, after=snapshot(obj)
        )
    return obj


def _values(obj: models.Model) -> dict[str, Any]:
    """Every field of `obj` but its id; a relation by the object `obj` holds, if it holds
    one (the row keeps it and nothing reads it again), else by its id."""
    values: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if f.primary_key:
            continue
        if f.is_relation and f.is_cached(obj):  # type: ignore[attr-defined]
            values[f.name] = getattr(obj, f.name)
        else:
            values[f.attname] = getattr(obj, f.attname)
    return values


def _update(
    obj: M,
    changes: Mapping[str, Any],
    kind: _Kind[M],
    *,
    actor: ActorArg,
    before_save: Callable[[M, M, _Errors], None] | None = None,
) -> M:
    """Change a row by id: lock it, check it with the changes, and save it through the
    audited update ("<model>.update" with what changed; nothing written if nothing did).

    The changes are checked on a copy, so the audited update compares the row as it was
    with the row as it is to be. `before_save(current, edited, errors)` writes what goes
    with the change (an event's sessions on a new time zone) or refuses it.
    """
    with transaction.atomic():
        current = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        edited = copy.copy(current)
        for name, value in changes.items():
            setattr(edited, name, value)
        errors = _Errors()
        kind.validate(edited, errors)
        errors.raise_if_any()
        if before_save is not None:
            before_save(current, edited, errors)
            errors.raise_if_any()
        with _unique(kind.clash_field, kind.clash(edited)):
            audited_update(current, actor=actor, fields=_values(edited), validate=False)
    return current


# --- events ---------------------------------------------------------------------------------


def _validate_event(event: Event, errors: _Errors) -> None:
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
    if event.pk is not None and "starts_on" not in errors.by_field:
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


_EVENT = _Kind[Event](
    validate=_validate_event,
    clash_field="slug",
    clash=lambda event: f"Another event already has the slug “{event.slug}”.",
)


def event_create(*, actor: ActorArg, **fields: Unpack[EventFields]) -> Event:
    """Create an event (name, dates and time zone required; the slug defaults from the name)."""
    errors = _Errors()
    for required in ("starts_on", "ends_on"):
        if fields.get(required) is None:
            errors.add(required, "Enter a date.")
    errors.raise_if_any()
    return _create(
        Event(**{"slug": "", "name": "", "time_zone": "", **fields}), _EVENT, actor=actor
    )


def event_update(*, actor: ActorArg, event: Event, **changes: Unpack[EventFields]) -> Event:
    """Change an event; a new time zone keeps its sessions' wall-clock times."""
    return _update(event, changes, _EVENT, actor=actor, before_save=_rezone_sessions)


def _rezone_sessions(current: Event, edited: Event, errors: _Errors) -> None:
    """On a new time zone, the sessions keep their wall-clock times (new UTC instants)."""
    if edited.time_zone == current.time_zone:
        return
    for s in Session.objects.select_for_update().filter(event=current):
        for attr in ("starts_at", "ends_at"):
            instant = getattr(s, attr)
            if instant is None:
                continue
            wall = rules.utc_to_local(instant, current.time_zone)
            try:
                setattr(s, attr, rules.local_to_utc(wall.date(), wall.time(), edited.time_zone))
            except ValueError as exc:
                errors.add("time_zone", f"“{s.title}”: {exc}")
        s.save(update_fields=["starts_at", "ends_at"])


def event_delete(*, actor: ActorArg, event: Event) -> None:
    """Delete an event with its programme; refused once anyone is registered for it."""
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


_VENUE = _Kind[Venue](
    validate=_validate_venue,
    clash_field="name",
    clash=lambda venue: f"{venue.name} at “{venue.address}” already exists.",
)


def venue_create(*, actor: ActorArg, **fields: Unpack[VenueFields]) -> Venue:
    """Create a venue: a named place with an address, used by sessions of any event."""
    return _create(Venue(**{"name": "", **fields}), _VENUE, actor=actor)


def venue_update(*, actor: ActorArg, venue: Venue, **changes: Unpack[VenueFields]) -> Venue:
    """Change a venue (every session held there follows)."""
    return _update(venue, changes, _VENUE, actor=actor)


def venue_delete(*, actor: ActorArg, venue: Venue) -> None:
    """Delete a venue no session uses."""
    with transaction.atomic():
        current = Venue.objects.select_for_update().get(pk=venue.pk)
        n = Session.objects.filter(venue=current).count()
        if n:
            raise InUse(f"{current.name} is the venue of {n} session(s); move them first.")
        audit_record(actor=actor, action="venue.delete", target=current, before=snapshot(current))
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


_SPONSOR = _Kind[Sponsor](
    validate=_validate_sponsor,
    clash_field="name",
    clash=lambda sponsor: f"{sponsor.name} is already a sponsor of this event.",
)


def sponsor_create(*, actor: ActorArg, event: Event, **fields: Unpack[SponsorFields]) -> Sponsor:
    """Add a sponsor to an event (listed in `order`, then by name)."""
    return _create(Sponsor(event=event, **{"name": "", **fields}), _SPONSOR, actor=actor)


def sponsor_update(
    *, actor: ActorArg, sponsor: Sponsor, **changes: Unpack[SponsorFields]
) -> Sponsor:
    """Change a sponsor of its event."""
    return _update(sponsor, changes, _SPONSOR, actor=actor)


def sponsor_delete(*, actor: ActorArg, sponsor: Sponsor) -> None:
    with transaction.atomic():
        current = Sponsor.objects.select_for_update().get(pk=sponsor.pk)
        audit_record(actor=actor, action="sponsor.delete", target=current, before=snapshot(current))
        current.delete()
