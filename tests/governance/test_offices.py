"""Offices follow the decisions: a new term ends the predecessor's the day before it begins,
so on any date at most one President City, one Executive Vice President City and two Vice
President Cities hold office (Art. 11(2)); Art. 11(4) makes the next host EVP."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories.governance import OfficeTermFactory, members
from urbis.common.models import AuditRecord
from urbis.governance import domain, queries, rules
from urbis.governance.models import OfficeTerm


def test_successor_cut_ends_running_terms_the_day_before():
    existing = [
        rules.Term(1, 10, dt.date(2023, 9, 26), dt.date(2026, 12, 31)),
        rules.Term(2, 11, dt.date(2020, 1, 1), dt.date(2023, 9, 25)),  # over already
    ]
    cut = rules.successor_cut(existing, start=dt.date(2026, 9, 24), holders={12})
    assert cut == [rules.Term(1, 10, dt.date(2023, 9, 26), dt.date(2026, 9, 23))]
    # A holder chosen again starts a new term too; the same term recorded again is left.
    assert rules.successor_cut(existing, start=dt.date(2023, 9, 26), holders={10}) == []
    with pytest.raises(rules.GovernanceError, match="cannot precede it"):
        rules.successor_cut(existing, start=dt.date(2023, 9, 1), holders={12})


@st.composite
def decisions(draw):
    """A sequence of decisions: (office, start, length in days or open, holders)."""
    n = draw(st.integers(min_value=1, max_value=12))
    out = []
    day = dt.date(2010, 1, 1)
    for _ in range(n):
        day += dt.timedelta(days=draw(st.integers(min_value=0, max_value=900)))
        kind = draw(st.sampled_from(sorted(rules.OFFICE_SEATS)))
        seats = rules.OFFICE_SEATS[kind]
        holders = draw(st.sets(st.integers(min_value=1, max_value=6), min_size=1, max_size=seats))
        length = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=2000)))
        out.append((kind, day, length, holders))
    return out


def _apply(terms: dict[str, list[rules.Term]], kind: str, start, end, holders) -> None:
    """What `office_terms_succeed` does, on plain data."""
    current = terms.setdefault(kind, [])
    for cut in rules.successor_cut(current, start=start, holders=holders):
        current[[t.id for t in current].index(cut.id)] = cut
    for holder in sorted(holders):
        if not any(t.holder == holder and t.start == start for t in current):
            current.append(rules.Term(len(current) + 1000 * len(terms), holder, start, end))


@given(decisions())
@settings(max_examples=200, deadline=None)
def test_no_office_ever_has_more_holders_than_seats(sequence):
    terms: dict[str, list[rules.Term]] = {}
    for kind, start, length, holders in sequence:
        end = None if length is None else start + dt.timedelta(days=length)
        try:
            _apply(terms, kind, start, end, holders)
        except rules.GovernanceError:
            continue  # a decision that would rewrite history is refused
    for kind, current in terms.items():
        edges = sorted({t.start for t in current} | {t.end for t in current if t.end})
        for day in edges:
            holding = [t for t in current if t.start <= day and (t.end is None or day <= t.end)]
            assert len(holding) <= rules.OFFICE_SEATS[kind], (kind, day, holding)


@pytest.mark.django_db
@given(decisions())
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
def test_no_overlapping_terms_through_the_domain(sequence):
    OfficeTerm.objects.all().delete()
    cities = {i: c for i, c in enumerate(members(6, prefix="Office city"), start=1)}
    try:
        for kind, start, length, holders in sequence:
            end = None if length is None else start + dt.timedelta(days=length)
            try:
                domain.office_terms_succeed(
                    actor=None,
                    kind=kind,
                    organisations=[cities[h] for h in sorted(holders)],
                    start=start,
                    end=end,
                    basis="test",
                )
            except ValidationError:
                continue
        for kind, seats in rules.OFFICE_SEATS.items():
            days = set(OfficeTerm.objects.filter(kind=kind).values_list("start", flat=True))
            for day in days:
                assert queries.terms_on(day, kind=kind).count() <= seats
    finally:
        OfficeTerm.objects.all().delete()
        for city in cities.values():
            city.lifecycle_events.all().delete()
            city.delete()


@pytest.mark.django_db
def test_an_election_ends_the_predecessor_and_is_audited(db):
    seoul, almaty, sejong = members(3)
    OfficeTermFactory(
        kind="president_city",
        organisation=seoul,
        start=dt.date(2023, 9, 26),
        end=dt.date(2026, 12, 31),
    )
    domain.office_terms_succeed(
        actor=None,
        kind="president_city",
        organisations=[sejong],
        start=dt.date(2026, 9, 24),
        end=dt.date(2029, 12, 31),
        basis="7th General Assembly 2026, agenda 5",
    )
    assert queries.holder_on("president_city", dt.date(2026, 9, 23)).organisation == seoul
    assert queries.holder_on("president_city", dt.date(2026, 9, 24)).organisation == sejong
    assert queries.terms_on(dt.date(2026, 9, 24), kind="president_city").count() == 1
    ended = AuditRecord.objects.get(action="office_term.end")
    assert ended.after["end"] == "2026-09-23"
    assert ended.after["ended_by"] == "7th General Assembly 2026, agenda 5"
    with pytest.raises(ValidationError, match="2 can hold this office, not 3"):
        domain.office_terms_succeed(
            actor=None,
            kind="vp_city",
            organisations=[seoul, almaty, sejong],
            start=dt.date(2026, 9, 24),
            end=None,
            basis="x",
        )
