"""An event's statistics (registrations by status, category and region, in one grouped
read) and its delegates by region.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q

from urbis.events import rules
from urbis.events.models import (
    Attendance,
    CheckIn,
    Event,
    Registration,
    RegistrationStatus,
    SessionKind,
)
from urbis.members.models import Category
from urbis.members.queries import region_by_country

UNKNOWN_REGION = "Region not recorded"


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
    definitions: dict[str, str] = field(
        default_factory=lambda: {k: str(v) for k, v in rules.DEFINITIONS.items()}
    )

    @property
    def city_count(self) -> int:
        return len(self.cities)

    @property
    def definition_rows(self) -> list[tuple[str, str]]:
        """(term, definition) in the reader's language: the page prints terms, not keys."""
        return [
            (str(rules.DEFINITION_TERMS.get(k, k)), text) for k, text in self.definitions.items()
        ]


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
