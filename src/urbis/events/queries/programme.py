"""The programme: events visible to whom, their sessions by day in the event's time zone,
venues and sponsors, and what an event's delete would lose.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, F, Prefetch, Q, QuerySet

from urbis.common.roles import is_secretariat
from urbis.events.models import (
    CheckIn,
    Event,
    PickupPlace,
    Registration,
    RegistrationStatus,
    Session,
    SessionPerson,
    Sponsor,
    Venue,
)

LIVE = (RegistrationStatus.PENDING, RegistrationStatus.APPROVED)


def events_on(day: dt.date) -> QuerySet[Event]:
    """Events running on a day (a meeting held during an event reads its check-ins)."""
    return Event.objects.filter(starts_on__lte=day, ends_on__gte=day).order_by("starts_on", "name")


def public_events() -> QuerySet[Event]:
    return Event.objects.filter(is_public=True).order_by("-starts_on")


def events_visible_to(
    user: Any,
    *,
    q: str = "",
    year: int | None = None,
    country: str = "",
    city: str = "",
) -> QuerySet[Event]:
    """Events a user may see (the secretariat: all, published or not), filtered."""
    qs = Event.objects.all() if is_secretariat(user) else Event.objects.filter(is_public=True)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(theme__icontains=q) | Q(slug__icontains=q))
    if year is not None:
        qs = qs.filter(starts_on__year=year)
    if country:
        qs = qs.filter(country=country.upper())
    if city:
        qs = qs.filter(city__iexact=city)
    return qs.select_related("host").order_by("-starts_on", "name", "id")


def venues(*, q: str = "", city: str = "", country: str = "") -> QuerySet[Venue]:
    """Venues, filtered by name or address, city and country, with how many sessions use them."""
    qs = Venue.objects.annotate(n_sessions=Count("sessions"))
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(address__icontains=q))
    if city:
        qs = qs.filter(city__iexact=city)
    if country:
        qs = qs.filter(country=country.upper())
    return qs.order_by("name", "address", "id")


def sessions_filtered(
    event: Event,
    *,
    day: dt.date | None = None,
    kind: str = "",
    venue: int | None = None,
) -> QuerySet[Session]:
    """An event's sessions (as `sessions_of`), on a day, of a kind, at a venue."""
    qs = sessions_of(event)
    if day is not None:
        qs = qs.filter(day=day)
    if kind:
        qs = qs.filter(kind=kind)
    if venue is not None:
        qs = qs.filter(venue_id=venue)
    return qs


def sponsors_of(event: Event) -> QuerySet[Sponsor]:
    return (
        Sponsor.objects.filter(event=event)
        .select_related("organisation")
        .order_by("order", "name", "id")
    )


def event_usage(event: Event) -> dict[str, int]:
    """What a delete would lose: registrations, check-ins, sessions, sponsors."""
    return {
        "registrations": Registration.objects.filter(event=event).count(),
        "checkins": CheckIn.objects.filter(registration__event=event).count(),
        "sessions": Session.objects.filter(event=event).count(),
        "sponsors": Sponsor.objects.filter(event=event).count(),
    }


def sessions_of(event: Event) -> QuerySet[Session]:
    """The sessions of an event with venue, people, pick-up places and places taken."""
    return (
        Session.objects.filter(event=event)
        .select_related("venue")
        .prefetch_related(
            Prefetch("people", queryset=SessionPerson.objects.order_by("order", "name")),
            Prefetch("pickup_places", queryset=PickupPlace.objects.order_by("order", "name")),
        )
        .annotate(taken=Count("signups", filter=Q(signups__registration__status__in=LIVE)))
        # Explicit: Django drops Meta.ordering from GROUP BY queries.
        .order_by("day", F("starts_at").asc(nulls_last=True), "title", "id")
    )


@dataclass
class ProgrammeDay:
    day: dt.date
    number: int
    sessions: list[Session] = field(default_factory=list)


def programme_days(event: Event) -> list[ProgrammeDay]:
    """The programme grouped by day (Day 1, Day 2, ...), sessions in time order."""
    days: dict[dt.date, ProgrammeDay] = {}
    for s in sessions_of(event):
        if s.day not in days:
            days[s.day] = ProgrammeDay(day=s.day, number=(s.day - event.starts_on).days + 1)
        days[s.day].sessions.append(s)
    return [days[d] for d in sorted(days)]


def local_time(event: Event, at: dt.datetime | None) -> dt.datetime | None:
    return at.astimezone(ZoneInfo(event.time_zone)) if at else None


def event_days(event: Event) -> list[dt.date]:
    n = (event.ends_on - event.starts_on).days + 1
    return [event.starts_on + dt.timedelta(days=i) for i in range(n)]


def signup_sessions(event: Event) -> QuerySet[Session]:
    """Sessions a delegate can sign up for, with places taken."""
    return sessions_of(event).filter(requires_signup=True)


def assembly_session(event: Event) -> Session | None:
    return Session.objects.filter(event=event, is_assembly=True).first()
