"""Factories for governance: meetings, agenda items, delegates, the quorum rule."""

from __future__ import annotations

import datetime as dt

import factory

from tests.factories.members import OrganisationFactory, member_since
from urbis.governance.models import (
    AgendaItem,
    Candidate,
    Delegate,
    Meeting,
    OfficeTerm,
    Poll,
    PollOption,
    Proxy,
    QuorumRule,
)
from urbis.members.models import Category, Organisation


class QuorumRuleFactory(factory.django.DjangoModelFactory):
    """Art. 16(2) as in the seed: a quarter of the local governments in good standing."""

    class Meta:
        model = QuorumRule
        django_get_or_create = ("body", "effective_from")

    body = "ga"
    effective_from = dt.date(2010, 1, 1)
    numerator = 1
    denominator = 4
    counted_categories = ["local_government"]
    counted_states = ["member"]
    member_categories = ["corporation", "institution"]
    member_states = ["member", "suspended"]


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    body = "ga"
    slug = factory.Sequence(lambda n: f"ga-{n}")
    title = factory.Sequence(lambda n: f"General Assembly {n}")
    date = dt.date(2023, 9, 26)
    convocation_date = dt.date(2023, 9, 5)
    time_zone = "Asia/Seoul"


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Item {n}")
    kind = "approval"


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    agenda_item = factory.SubFactory(AgendaItemFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class DelegateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delegate

    meeting = factory.SubFactory(MeetingFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Delegate {n}")
    position = "Director"


class OfficeTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficeTerm

    kind = "president_city"
    organisation = factory.SubFactory(OrganisationFactory)
    start = dt.date(2021, 10, 1)


def members(n: int, *, since: dt.date = dt.date(2015, 1, 1), prefix: str = "City", **fields):
    """`n` local governments in good standing since `since`."""
    return [
        member_since(since, name=f"{prefix} {i:04d}", population=1000 + i, **fields)
        for i in range(n)
    ]


def corporation(name: str, *, since: dt.date = dt.date(2020, 1, 1)) -> Organisation:
    return member_since(since, name=name, category=Category.CORPORATION)


def ga6_registry() -> dict[str, Organisation]:
    """A registry for the 6th GA built with factories from the governance data file: every
    organisation the file names (populations as the memorandum reports them), topped up with
    synthetic local governments to the 163 in good standing on the convocation date."""
    from urbis.demo.loaders.context import DATA_DIR
    from urbis.demo.yamlio import read_yaml

    doc = read_yaml(DATA_DIR / "governance.yaml")
    orgs: dict[str, Organisation] = {}
    since = dt.date(2015, 1, 1)
    for meeting in sorted(doc["meetings"], key=lambda m: m["slug"] != "ga-6"):
        for row in meeting.get("attendance") or []:
            name = row["organisation"]
            if name in orgs:
                continue
            if row.get("quorum_member", True):
                orgs[name] = member_since(
                    since,
                    name=name,
                    country=row.get("country", "KR"),
                    population=row.get("population_reported"),
                )
            else:
                orgs[name] = member_since(
                    since, name=name, country=row["country"], category=Category.CORPORATION
                )
    named = {
        c["organisation"]
        for m in doc["meetings"]
        for item in m.get("items") or []
        for c in item.get("candidates") or []
    }
    named |= {r["organisation"] for r in doc["offices"] if r.get("organisation")}
    named |= {r["organisation"] for r in doc["regional_offices"]}
    for name in sorted(named - set(orgs)):
        orgs[name] = member_since(since, name=name, population=100_000)
    local = sum(1 for o in orgs.values() if o.category == Category.LOCAL_GOVERNMENT)
    members(163 - local, prefix="Synthetic city")
    return orgs


def closed_poll(item: AgendaItem) -> Poll:
    """A closed secret motion on an item (for pages and operations that need a poll)."""
    at = dt.datetime(2023, 9, 26, 7, 0, tzinfo=dt.UTC)
    poll = Poll.objects.create(
        meeting=item.meeting,
        agenda_item=item,
        kind="motion",
        method="secret",
        state="closed",
        opened_at=at,
        closed_at=at + dt.timedelta(minutes=5),
        majority="simple",
        article="16",
        outcome="rejected",
        arithmetic="0 for, 0 against of 0 votes cast; simple majority = 1; not adopted (Art. 16)",
        ballots_cast=0,
    )
    for i, (choice, label) in enumerate(
        [("for", "For"), ("against", "Against"), ("abstain", "Abstain")]
    ):
        PollOption.objects.create(poll=poll, label=label, position=i + 1, choice=choice)
    return poll


def proxy(meeting: Meeting, grantor: Organisation, holder: Organisation) -> Proxy:
    """A dated mandate recorded as such (for pages and operations that need one)."""
    return Proxy.objects.create(
        meeting=meeting, grantor=grantor, holder=holder, granted_on=meeting.date, reference="Letter"
    )
