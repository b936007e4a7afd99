"""Reads of the registry: reusable querysets and selectors, answerable `as_of` any date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Case,
    CharField,
    Count,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from urbis.common.models import CountryRegion, Region
from urbis.members import rules
from urbis.members.models import (
    MEMBER_CATEGORIES,
    Category,
    LifecycleEvent,
    Organisation,
)
from urbis.members.rules import EventKind, State

STATE_CHANGING_KINDS = [k.value for k, s in rules.STATE_AFTER.items() if s is not None]


def today() -> dt.date:
    return timezone.localdate()


def with_state(
    qs: QuerySet[Organisation], *, as_of: dt.date | None = None
) -> QuerySet[Organisation]:
    """Annotate `state` (a `rules.State` value) as of a date, in one query.

    The state after a valid event log is fixed by its last state-changing event, so a
    correlated subquery on that event's kind is enough; `domain` keeps logs valid.
    """
    on = as_of or today()
    last_kind = (
        LifecycleEvent.objects.filter(
            organisation=OuterRef("pk"), date__lte=on, kind__in=STATE_CHANGING_KINDS
        )
        .order_by("-date", "-id")
        .values("kind")[:1]
    )
    whens = [
        When(last_kind=kind.value, then=Value(state.value))
        for kind, state in rules.STATE_AFTER.items()
        if state is not None
    ]
    return qs.annotate(last_kind=Subquery(last_kind)).annotate(
        state=Case(*whens, default=Value(State.NONE.value), output_field=CharField())
    )


def organisation_list(
    *,
    search: str = "",
    category: str = "",
    region: str = "",
    country: str = "",
    state: str = "",
    as_of: dt.date | None = None,
    members_only: bool = False,
) -> QuerySet[Organisation]:
    """The directory: filters combine; `region` is a region code and includes sub-regions."""
    qs = with_state(Organisation.objects.all(), as_of=as_of)
    if search:
        qs = qs.filter(
            Q(name__icontains=search)
            | Q(official_name__icontains=search)
            | Q(city__icontains=search)
        )
    if category:
        qs = qs.filter(category=category)
    if members_only:
        qs = qs.filter(category__in=MEMBER_CATEGORIES)
    if country:
        qs = qs.filter(country=country.upper())
    if region:
        countries = CountryRegion.objects.filter(
            Q(region__code=region) | Q(region__parent__code=region)
        ).values("country")
        qs = qs.filter(country__in=countries)
    if state:
        qs = qs.filter(state=state)  # type: ignore[misc]  # annotated by with_state
    return qs.order_by("name")


def region_by_country() -> dict[str, Region]:
    """Country code → region: a small table read once per request."""
    return {
        str(cr.country): cr.region
        for cr in CountryRegion.objects.select_related("region", "region__parent")
    }


def lifecycle_steps(organisation: Organisation) -> list[rules.Step]:
    return [
        rules.Step(on=e.date, kind=EventKind(e.kind))
        for e in organisation.lifecycle_events.order_by("date", "id")
    ]


def state_as_of(organisation: Organisation, on: dt.date) -> State:
    """Membership state of one organisation on a date (the fold of its event log)."""
    return rules.state_as_of(lifecycle_steps(organisation), on)


@dataclass(frozen=True)
class CountRow:
    category: str
    category_label: str
    state: str
    count: int


def membership_counts(*, as_of: dt.date | None = None) -> list[CountRow]:
    """Members by category and state as of a date: one grouped query."""
    labels = dict(Category.choices)
    rows = (
        with_state(Organisation.objects.filter(category__in=MEMBER_CATEGORIES), as_of=as_of)
        .values("category", "state")  # type: ignore[misc]  # annotated by with_state
        .annotate(n=Count("id"))
        .order_by("category", "state")
    )
    return [
        CountRow(
            category=r["category"],
            category_label=str(labels[r["category"]]),
            state=r["state"],
            count=r["n"],
        )
        for r in rows
    ]


def membership_rows(*, as_of: dt.date | None = None) -> list[tuple[str, dict[str, int]]]:
    """(category label, counts by state) for every member category, for tables on pages."""
    labels = dict(Category.choices)
    return [(str(labels[c]), row) for c, row in membership_table(as_of=as_of).items()]


def membership_table(*, as_of: dt.date | None = None) -> dict[str, dict[str, int]]:
    """{category: {state: n, ..., 'total': n}} for every member category and state."""
    table: dict[str, dict[str, int]] = {
        c.value: {s.value: 0 for s in State} | {"total": 0} for c in MEMBER_CATEGORIES
    }
    for row in membership_counts(as_of=as_of):
        table[row.category][row.state] = row.count
        table[row.category]["total"] += row.count
    return table
