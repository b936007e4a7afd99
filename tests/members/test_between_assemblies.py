"""The between-assemblies report reproduces the lists of the memorandum's Annex 1."""

import datetime as dt

import pytest

from tests.factories.dues import SUSPENDED, TERMINATED
from tests.factories.members import LifecycleEventFactory, OrganisationFactory
from urbis.members.queries.between_assemblies import (
    between_assemblies,
    between_assemblies_csv,
)

pytestmark = pytest.mark.django_db
D = dt.date
START, END = D(2021, 10, 1), D(2023, 9, 26)
GA = "6th GA, agenda 2"

# name, category, application date (memorandum Annex 1), approval date (illustrative)
NEW = [
    ("Chirchik", "local_government", D(2023, 7, 20), D(2023, 8, 30)),
    ("Bishkek", "local_government", D(2023, 7, 5), D(2023, 8, 30)),
    ("City of Ryde", "local_government", D(2023, 7, 24), D(2023, 8, 30)),
    ("Tehran", "local_government", D(2022, 11, 5), D(2022, 12, 1)),
    ("Cuenca", "local_government", D(2022, 5, 13), D(2022, 6, 1)),
    ("Cusco", "local_government", D(2021, 11, 15), D(2022, 3, 1)),
    ("Urubamba", "local_government", D(2021, 11, 15), D(2022, 3, 1)),
    ("Vueron", "corporation", D(2023, 4, 25), D(2023, 6, 1)),
    ("Laboratory of Software Embedded Engineering", "corporation", D(2023, 2, 16), D(2023, 6, 1)),
    ("Woorigangsan", "corporation", D(2023, 7, 21), D(2023, 8, 30)),
    ("Dwelling Co., Ltd", "corporation", D(2021, 12, 10), D(2022, 3, 1)),
    ("Dohwa Engineering", "corporation", D(2022, 1, 14), D(2022, 3, 1)),
    ("Hienergy Codex", "corporation", D(2022, 3, 25), D(2022, 6, 1)),
    ("MetaTheater", "corporation", D(2022, 8, 23), D(2022, 12, 1)),
    ("Youngshin Components Co., Ltd", "corporation", D(2022, 9, 1), D(2022, 12, 1)),
    ("YOYA Technologies Ltd", "corporation", D(2022, 10, 24), D(2022, 12, 1)),
    ("Korea Green Foundation", "institution", D(2022, 7, 7), D(2022, 12, 1)),
    ("Seoul Tourism Organization", "institution", D(2022, 8, 2), D(2022, 12, 1)),
]
# withdrawals: name, category, year of approval (EXCOM)
WITHDRAWN = [
    ("Ulyanovsk Region", "local_government", 2022),
    ("FATOS Corporation", "corporation", 2023),
    ("Breeze Technologies", "corporation", 2022),
    ("NTSYS", "corporation", 2022),
    ("IGB & Company", "corporation", 2022),
    ("INTERINNOV S.A.S.", "corporation", 2022),
]


def org(name, category):
    return OrganisationFactory(name=name, category=category)


@pytest.fixture
def registry():
    for name, category, applied, approved in NEW:
        o = org(name, category)
        LifecycleEventFactory(organisation=o, kind="applied", date=applied)
        LifecycleEventFactory(organisation=o, kind="approved", date=approved)
    for name, category, year in WITHDRAWN:
        o = org(name, category)
        LifecycleEventFactory(
            organisation=o, kind="approved", date=D(year, 1, 1), date_precision="year"
        )
        LifecycleEventFactory(
            organisation=o,
            kind="withdrawn",
            date=END,
            reason="Formal withdrawal letter received.",
            decision_ref=GA,
        )
    for name in SUSPENDED:
        o = org(name, "local_government")
        LifecycleEventFactory(organisation=o, kind="approved", date=D(2016, 1, 1))
        LifecycleEventFactory(
            organisation=o,
            kind="suspended",
            date=END,
            decision_ref=GA,
            reason="No participation in WeGO activities and membership payment for more "
            "than 3 years.",
        )
    for name, reason in TERMINATED.items():
        o = org(name, "corporation")
        LifecycleEventFactory(organisation=o, kind="approved", date=D(2018, 1, 1))
        LifecycleEventFactory(
            organisation=o, kind="terminated", date=END, reason=reason, decision_ref=GA
        )
    # outside the period: ignored
    old = org("Left Early", "corporation")
    LifecycleEventFactory(organisation=old, kind="approved", date=D(2015, 1, 1))
    LifecycleEventFactory(organisation=old, kind="withdrawn", date=D(2021, 5, 1))


def test_lists_match_the_memorandum(registry):
    report = between_assemblies(start=START, end=END, basis="application")
    assert [
        (e.name, e.date) for e in report.new_members.entries if e.category == "institution"
    ] == [
        ("Korea Green Foundation", D(2022, 7, 7)),
        ("Seoul Tourism Organization", D(2022, 8, 2)),
    ]
    assert {e.name for e in report.new_members.entries} == {n for n, *_ in NEW}
    assert report.new_members.by_category == {
        "local_government": 7,
        "institution": 2,
        "corporation": 9,
    }
    assert {(e.name, e.approved_on.year) for e in report.withdrawals.entries} == {
        (n, y) for n, _, y in WITHDRAWN
    }
    assert report.withdrawals.by_category == {
        "local_government": 1,
        "institution": 0,
        "corporation": 5,
    }
    assert {(e.name, e.reason) for e in report.suspensions.entries} == {
        (n, "No participation in WeGO activities and membership payment for more than 3 years.")
        for n in SUSPENDED
    }
    assert {(e.name, e.reason) for e in report.terminations.entries} == set(TERMINATED.items())
    assert (report.suspensions.count, report.terminations.count) == (22, 20)


def test_new_members_by_year_depend_on_the_stated_basis(registry):
    by_application = between_assemblies(start=START, end=END, basis="application")
    assert by_application.new_by_year == [
        {"year": 2021, "local_government": 2, "institution": 0, "corporation": 1, "total": 3},
        {"year": 2022, "local_government": 2, "institution": 2, "corporation": 5, "total": 9},
        {"year": 2023, "local_government": 3, "institution": 0, "corporation": 3, "total": 6},
    ]
    by_approval = between_assemblies(start=START, end=END)
    assert by_approval.basis_label == "date of approval (EXCOM decision)"
    # by approval, the six members who joined and withdrew within the period count too
    assert by_approval.new_members.count == 18 + 6
    assert by_approval.new_by_year[0]["year"] == 2022


def test_csv_has_one_row_per_entry(registry):
    report = between_assemblies(start=START, end=END, basis="application")
    lines = between_assemblies_csv(report).splitlines()
    assert lines[0] == "section,name,category,country,date,reason,decision_ref,approved_on"
    assert len(lines) == 1 + 18 + 6 + 22 + 20
    assert 'terminations,SEADS,corporation,KR,2023-09-26,"Expressed withdrawal interest' in (
        "\n".join(lines)
    )


def test_without_an_earlier_assembly_the_period_opens_on_the_first_record(registry):
    report = between_assemblies(start=None, end=END, basis="application")
    # "Left Early" was approved on 1 January 2015, the registry's first event, and its
    # withdrawal, outside the period that opens after an earlier assembly, now counts
    assert report.start == D(2015, 1, 1)
    assert report.new_members.count == 18
    assert report.withdrawals.count == 6 + 1


def test_without_any_record_the_period_is_the_assembly_day():
    report = between_assemblies(start=None, end=END)
    assert (report.start, report.end, report.new_members.count) == (END, END, 0)
