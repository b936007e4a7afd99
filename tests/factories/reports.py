"""A SYNTHETIC General Assembly for the activity report: registry, event, meeting, prize.

Everything here is made up (names start with "Synthetic"); it shares nothing with the 6th GA
data set, so a report built from it shows that nothing in `urbis.reports` is specific to 2023.
Large numbers of rows are built with the factories and written with `bulk_create`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from tests.factories.events import EventFactory, RegistrationFactory, SessionFactory, SponsorFactory
from tests.factories.governance import (
    AgendaItemFactory,
    MeetingFactory,
    OfficeTermFactory,
    QuorumRuleFactory,
)
from tests.factories.members import LifecycleEventFactory, OrganisationFactory
from tests.factories.prize import ApplicationFactory, CategoryFactory, EditionFactory
from urbis.common.models import CountryRegion, Region
from urbis.events.models import Attendance, Registration, SessionKind
from urbis.governance.models import CheckIn, Decision, Delegate
from urbis.members.models import Category, LifecycleEvent, Organisation
from urbis.prize.models import Award, AwardKind

# (country, region): three synthetic regions, two countries each.
COUNTRIES = [
    ("FR", "Synthetic North"),
    ("DE", "Synthetic North"),
    ("KE", "Synthetic South"),
    ("BR", "Synthetic South"),
    ("JP", "Synthetic East"),
    ("AU", "Synthetic East"),
]
TZ = ZoneInfo("Europe/Paris")


@dataclass
class Synthetic:
    number: int
    members: list[Organisation]
    newcomers: list[Organisation]
    withdrawn: Organisation
    delegates: int
    present: int
    population: int
    president: Organisation
    evp: Organisation
    winner: str


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


def synthetic_assembly(
    *, number: int = 9, year: int = 2029, members: int = 12, delegates: int = 20
) -> Synthetic:
    """The `number`th General Assembly on 11 June `year` with `members` local-government
    members (two of them approved since the last assembly, one withdrawn) and `delegates`
    approved registrations spread over them; every second member checks in at the session."""
    start, day = dt.date(year - 3, 6, 12), dt.date(year, 6, 11)
    regions = {}
    for order, name in enumerate(sorted({r for _, r in COUNTRIES})):
        regions[name], _ = Region.objects.get_or_create(
            code=name.lower().replace(" ", "-"), defaults={"name": name, "sort_order": order}
        )
    for country, region in COUNTRIES:
        CountryRegion.objects.update_or_create(
            country=country, defaults={"region": regions[region]}
        )
    QuorumRuleFactory()
    orgs = Organisation.objects.bulk_create(
        OrganisationFactory.build(
            name=f"Synthetic City {number}-{i:04d}",
            slug=f"synthetic-city-{number}-{i:04d}",
            country=COUNTRIES[i % len(COUNTRIES)][0],
            city=f"Synthetic City {number}-{i:04d}",
            population=10_000 + i,
        )
        for i in range(members)
    )
    newcomers = orgs[:2]
    withdrawn = orgs[-1]
    events = [
        LifecycleEventFactory.build(
            organisation=o,
            kind="approved",
            date=dt.date(year - 1, 3, 1) if o in newcomers else dt.date(year - 10, 1, 1),
        )
        for o in orgs
    ]
    events.append(
        LifecycleEventFactory.build(
            organisation=withdrawn, kind="withdrawn", date=dt.date(year - 1, 5, 1), reason="Letter"
        )
    )
    LifecycleEvent.objects.bulk_create(events)
    corporation = OrganisationFactory(
        name=f"Synthetic Systems {number}",
        slug=f"synthetic-systems-{number}",
        category=Category.CORPORATION,
    )
    embassy = OrganisationFactory(
        name=f"Embassy of Synthetica {number}",
        slug=f"embassy-of-synthetica-{number}",
        category=Category.EMBASSY,
    )

    event = EventFactory(
        slug=f"synthetic-ga-{number}",
        name=f"Synthetic General Assembly {number}",
        theme="Synthetic Futures",
        starts_on=day - dt.timedelta(days=1),
        ends_on=day + dt.timedelta(days=1),
        time_zone="Europe/Paris",
        city="Synthetic Harbour",
        country="FR",
    )
    SessionFactory(
        event=event,
        day=event.starts_on,
        starts_at=_at(event.starts_on, 10),
        ends_at=_at(event.starts_on, 11),
        title="Opening Ceremony of the Synthetic Assembly",
        kind=SessionKind.CEREMONY,
    )
    SessionFactory(
        event=event,
        day=day,
        starts_at=_at(day, 9),
        ends_at=_at(day, 12),
        title="Synthetic Assembly Session",
        is_assembly=True,
    )
    SessionFactory(
        event=event,
        day=day,
        starts_at=_at(day, 14),
        ends_at=_at(day, 15),
        title="Side Session: Synthetic Data for Cities",
        kind=SessionKind.SIDE_SESSION,
    )
    SponsorFactory(event=event, name="Synthetic Sponsor Foundation", order=1)
    holders = [*orgs, corporation, embassy]
    Registration.objects.bulk_create(
        RegistrationFactory.build(
            event=event,
            organisation=holders[i % len(holders)],
            person_name=f"Synthetic Delegate {i:05d}",
            person_key=f"synthetic delegate {number} {i:05d}",
            code=f"SYN{number:02d}{i:06d}",
            attendance=Attendance.ONLINE if i % 5 == 4 else Attendance.ON_SITE,
            mayoral_level=i < len(holders) and i % 3 == 0,
        )
        for i in range(delegates)
    )

    meeting = MeetingFactory(
        slug=f"synthetic-ga-{number}",
        title=f"Synthetic General Assembly {number}",
        number=number,
        date=day,
        convocation_date=day - dt.timedelta(days=30),
        changes_since=start,
        time_zone="Europe/Paris",
        venue="Synthetic Harbour Hall",
        chair="The Synthetic President",
    )
    present = [o for i, o in enumerate(orgs[:-1]) if i % 2 == 0]
    delegates_rows = Delegate.objects.bulk_create(
        Delegate(
            meeting=meeting,
            organisation=o,
            name=f"Head {o.name}",
            position="Mayor" if i % 3 == 0 else "Director",
            mayoral_level=i % 3 == 0,
        )
        for i, o in enumerate(present)
    )
    CheckIn.objects.bulk_create(
        CheckIn(
            meeting=meeting, delegate=d, organisation=d.organisation, mode="on_site", at=_at(day, 9)
        )
        for d in delegates_rows
    )
    population = sum(o.population or 0 for o in present)
    eligible = members - 1
    required = -(-eligible // 4)
    for n, title in enumerate(["Synthetic annual report", "Election of the President City"], 1):
        item = AgendaItemFactory(meeting=meeting, number=n, title=title, kind="approval")
        Decision.objects.create(
            agenda_item=item,
            method="consensus",
            result="adopted",
            quorum_present=len(present),
            quorum_eligible=eligible,
            quorum_required=required,
            quorum_met=len(present) >= required,
            population_represented=population,
            outcome=f"Synthetic outcome {n} was adopted.",
            decided_at=_at(day, 10 + n),
        )
    end = dt.date(year + 3, 12, 31)
    president, evp = orgs[2], orgs[3]
    OfficeTermFactory(kind="president_city", organisation=president, start=day, end=end)
    OfficeTermFactory(kind="evp_city", organisation=evp, start=day, end=end)

    edition = EditionFactory(
        year=year, name=f"Synthetic Prize {year}", ceremony_date=day, results_published=True
    )
    category = CategoryFactory(
        edition=edition, code=f"synthetic-{number}", name="Synthetic Category"
    )
    finalist = ApplicationFactory(
        edition=edition, category=category, applicant_name="Synthetic Winner City", reached_round=1
    )
    ApplicationFactory(
        edition=edition, category=category, applicant_name="Synthetic Runner-up", reached_round=1
    )
    kind = AwardKind.objects.create(
        edition=edition,
        category=category,
        code=f"synthetic-gold-{number}",
        name="Synthetic Gold",
        tier="gold",
    )
    Award.objects.create(kind=kind, application=finalist, position=1)
    return Synthetic(
        number=number,
        members=orgs,
        newcomers=newcomers,
        withdrawn=withdrawn,
        delegates=delegates,
        present=len(present),
        population=population,
        president=president,
        evp=evp,
        winner=finalist.applicant_name,
    )
