"""Reads of the events app: the programme, registrations, check-ins and statistics.

The seam with governance: governance reads who attended a day of an event through
`checked_in_organisations(event, on=date)` and `attendance_register(event, on=date)`;
events never imports governance.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, F, Prefetch, Q, QuerySet

from urbis.common.roles import is_secretariat
from urbis.events import rules
from urbis.events.models import (
    Attendance,
    CheckIn,
    Event,
    PickupPlace,
    Registration,
    RegistrationStatus,
    Session,
    SessionKind,
    SessionPerson,
    Sponsor,
    Venue,
)
from urbis.members.models import Category, Organisation
from urbis.members.queries import region_by_country

LIVE = (RegistrationStatus.PENDING, RegistrationStatus.APPROVED)
UNKNOWN_REGION = "Region not recorded"


# --- programme -------------------------------------------------------------------------


def events_on(day: dt.date) -> QuerySet[Event]:
    """Events running on a day (a meeting held during an event reads its check-ins)."""
    return Event.objects.filter(starts_on__lte=day, ends_on__gte=day).order_by("starts_on", "name")


def public_events() -> QuerySet[Event]:
    return Event.objects.filter(is_public=True).order_by("-starts_on")


def events_visible_to(
    user: Any, *, q: str = "", year: int | None = None, country: str = "", city: str = ""
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
    event: Event, *, day: dt.date | None = None, kind: str = "", venue: int | None = None
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


# --- registrations ---------------------------------------------------------------------


def registrations_visible_to(user: Any, event: Event) -> QuerySet[Registration]:
    """The secretariat sees every registration; a focal point those of its own members."""
    qs = Registration.objects.filter(event=event).select_related("organisation")
    if is_secretariat(user):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    own = Organisation.objects.filter(contacts__user=user, contacts__is_focal_point=True)
    return qs.filter(organisation__in=own)


def organisations_for_registration(user: Any) -> QuerySet[Organisation]:
    """Organisations a user may register delegates for."""
    if is_secretariat(user):
        return Organisation.objects.order_by("name")
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    return Organisation.objects.filter(contacts__user=user, contacts__is_focal_point=True).order_by(
        "name"
    )


def participant_list(
    event: Event, *, status: str = RegistrationStatus.APPROVED, search: str = ""
) -> QuerySet[Registration]:
    qs = Registration.objects.filter(event=event).select_related("organisation")
    if status:
        qs = qs.filter(status=status)
    if search:
        qs = qs.filter(
            Q(person_name__icontains=search)
            | Q(organisation__name__icontains=search)
            | Q(code__iexact=rules.parse_code(search))
        )
    return qs.annotate(n_checkins=Count("checkins")).order_by(
        "organisation__name", "person_name", "id"
    )


def registration_by_code(code: str) -> Registration | None:
    return (
        Registration.objects.select_related("event", "organisation")
        .filter(code=rules.parse_code(code))
        .first()
    )


# --- check-ins: the seam with governance ------------------------------------------------


@dataclass(frozen=True)
class AttendanceRow:
    registration_id: int
    organisation_id: int
    organisation: str
    category: str
    country: str
    person_name: str
    position: str
    mode: str  # "on_site" or "online"
    mayoral_level: bool
    checked_in_at: dt.datetime


def _mode(attendance: str, method: str) -> str:
    if attendance == Attendance.ONLINE or method == CheckIn.Method.ONLINE:
        return Attendance.ONLINE.value
    return Attendance.ON_SITE.value


def attendance_register(event: Event, *, on: dt.date) -> list[AttendanceRow]:
    """Every delegate checked in on a day of the event (on-site, or present online)."""
    rows = (
        CheckIn.objects.filter(registration__event=event, day=on)
        .select_related("registration__organisation")
        .order_by("registration__organisation__name", "registration__person_name", "id")
    )
    return [
        AttendanceRow(
            registration_id=c.registration_id,
            organisation_id=c.registration.organisation_id,
            organisation=c.registration.organisation.name,
            category=c.registration.organisation.category,
            country=str(c.registration.organisation.country),
            person_name=c.registration.person_name,
            position=c.registration.position,
            mode=_mode(c.registration.attendance, c.method),
            mayoral_level=c.registration.mayoral_level,
            checked_in_at=c.at,
        )
        for c in rows
    ]


@dataclass(frozen=True)
class OrganisationAttendance:
    organisation_id: int
    organisation: str
    mode: str  # on_site if any delegate was checked in on-site, else online
    mayoral_level: bool  # any checked-in delegate is of mayoral level
    delegates: tuple[AttendanceRow, ...]


def checked_in_organisations(event: Event, *, on: dt.date) -> list[OrganisationAttendance]:
    """Organisations with at least one delegate checked in on `on`: what governance reads
    to fill the attendance register of the assembly session held that day."""
    grouped: dict[int, list[AttendanceRow]] = defaultdict(list)
    for row in attendance_register(event, on=on):
        grouped[row.organisation_id].append(row)
    result = []
    for org_id, rows in grouped.items():
        on_site = any(r.mode == Attendance.ON_SITE for r in rows)
        result.append(
            OrganisationAttendance(
                organisation_id=org_id,
                organisation=rows[0].organisation,
                mode=Attendance.ON_SITE.value if on_site else Attendance.ONLINE.value,
                mayoral_level=any(r.mayoral_level for r in rows),
                delegates=tuple(rows),
            )
        )
    return sorted(result, key=lambda r: (r.organisation, r.organisation_id))


# --- statistics -------------------------------------------------------------------------


@dataclass
class RegionCount:
    region: str
    count: int
    cities: list[str]


@dataclass
class NamedOrg:
    name: str
    country: str
    category: str
    city: str
    attendance: set[str] = field(default_factory=set)
    mayoral: bool = False


@dataclass
class Statistics:
    event: Event
    delegates: int
    on_site: int
    online: int
    checked_in: int
    mayoral_level: int
    cities_by_region: list[RegionCount]
    cities: list[NamedOrg]
    countries: list[str]
    organisations: list[NamedOrg]
    embassies: list[NamedOrg]
    cities_on_site: int
    cities_online_only: int
    definitions: dict[str, str] = field(default_factory=lambda: dict(rules.DEFINITIONS))

    @property
    def city_count(self) -> int:
        return len(self.cities)


def statistics(event: Event) -> Statistics:
    """Participation figures from approved registrations (grouped per organisation in SQL)
    and check-ins: 3 queries whatever the number of delegates.

    Definitions: `rules.DEFINITIONS`, stated on the statistics page.
    """
    per_org = list(
        Registration.objects.filter(event=event, status=RegistrationStatus.APPROVED)
        .values(
            "organisation_id",
            "organisation__name",
            "organisation__category",
            "organisation__country",
            "organisation__city",
        )
        .annotate(
            n=Count("id"),
            n_on_site=Count("id", filter=Q(attendance=Attendance.ON_SITE)),
            n_online=Count("id", filter=Q(attendance=Attendance.ONLINE)),
            n_mayoral=Count("id", filter=Q(mayoral_level=True)),
        )
        .order_by()
    )
    checked_in = (
        CheckIn.objects.filter(
            registration__event=event, registration__status=RegistrationStatus.APPROVED
        )
        .values("registration_id")
        .distinct()
        .count()
    )
    orgs: dict[int, NamedOrg] = {}
    for r in per_org:
        org = NamedOrg(
            name=r["organisation__name"],
            country=r["organisation__country"] or "",
            category=r["organisation__category"],
            city=r["organisation__city"] or "",
            mayoral=r["n_mayoral"] > 0,
        )
        if r["n_on_site"]:
            org.attendance.add(Attendance.ON_SITE.value)
        if r["n_online"]:
            org.attendance.add(Attendance.ONLINE.value)
        orgs[r["organisation_id"]] = org
    by_name = sorted(orgs.values(), key=lambda o: o.name.casefold())
    cities = [o for o in by_name if o.category == Category.LOCAL_GOVERNMENT]
    embassies = [o for o in by_name if o.category == Category.EMBASSY]
    others = [o for o in by_name if o.category not in (Category.LOCAL_GOVERNMENT, Category.EMBASSY)]
    regions = region_by_country()
    region_cities: dict[str, list[str]] = defaultdict(list)
    order: dict[str, tuple[int, str]] = {}
    for c in cities:
        region = regions.get(c.country)
        top = region.top if region else None
        label = top.name if top else UNKNOWN_REGION
        order[label] = (top.sort_order, top.name) if top else (10_000, label)
        region_cities[label].append(c.name)
    cities_by_region = [
        RegionCount(region=label, count=len(region_cities[label]), cities=region_cities[label])
        for label in sorted(region_cities, key=lambda k: order[k])
    ]
    return Statistics(
        event=event,
        delegates=sum(r["n"] for r in per_org),
        on_site=sum(r["n_on_site"] for r in per_org),
        online=sum(r["n_online"] for r in per_org),
        checked_in=checked_in,
        mayoral_level=sum(r["n_mayoral"] for r in per_org),
        cities_by_region=cities_by_region,
        cities=cities,
        countries=sorted({c.country for c in cities if c.country}),
        organisations=others,
        embassies=embassies,
        cities_on_site=sum(1 for c in cities if Attendance.ON_SITE in c.attendance),
        cities_online_only=sum(1 for c in cities if c.attendance == {Attendance.ONLINE.value}),
    )


def kind_label(kind: str) -> str:
    return str(SessionKind(kind).label)


def delegates_by_region(event: Event) -> list[RegionCount]:
    """Approved registrations (delegates) by the network region of their organisation's
    country, in region order (one grouped query); `cities` lists nothing here."""
    rows = (
        Registration.objects.filter(event=event, status=RegistrationStatus.APPROVED)
        .values("organisation__country")
        .annotate(n=Count("id"))
        .order_by()
    )
    regions = region_by_country()
    counts: dict[str, int] = defaultdict(int)
    order: dict[str, tuple[int, str]] = {}
    for row in rows:
        region = regions.get(row["organisation__country"] or "")
        top = region.top if region else None
        label = top.name if top else UNKNOWN_REGION
        order[label] = (top.sort_order, top.name) if top else (10_000, label)
        counts[label] += row["n"]
    return [
        RegionCount(region=label, count=counts[label], cities=[])
        for label in sorted(counts, key=lambda k: order[k])
    ]
