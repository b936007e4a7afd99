"""The report of a SYNTHETIC assembly built with the factories: nothing is specific to 2023."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.reports import synthetic_assembly
from urbis.common.pdf import pdf_text
from urbis.events.queries import delegates_by_region
from urbis.reports import render
from urbis.reports.assembly import ReportError, build

pytestmark = pytest.mark.django_db


def test_synthetic_assembly_report_figures_come_from_its_data():
    data = synthetic_assembly(number=9, year=2029, members=12, delegates=20)
    report = build(9)
    h = {f.key: f.value for f in report.highlights}
    # 11 members in good standing (12 less the one withdrawn) register, plus 2 others
    assert h["participants"] == 20
    assert h["cities"] == 12
    assert h["countries"] == 6
    assert h["regions"] == 3
    assert h["quorum_present"] == data.present == 6
    assert h["population"] == f"{data.population:,}"
    assert h["new_members"] == 2
    assert h["officers"] == 2
    assert [s.count for s in report.membership.sections] == [2, 1, 0, 0]
    assert report.next_assembly is not None and report.next_assembly.evp == data.evp.name
    assert report.prize is not None
    assert [a.applicant_name for a in report.prize.finalists] == [
        "Synthetic Runner-up",
        "Synthetic Winner City",
    ]
    assert report.notes == []
    assert [(r.region, r.count) for r in delegates_by_region(report.event)] == [
        ("Synthetic East", 6),
        ("Synthetic North", 6),
        ("Synthetic South", 6),
        ("Region not recorded", 2),  # the corporation and the embassy (KR: no region)
    ]


def test_synthetic_assembly_pdf_states_its_own_facts():
    data = synthetic_assembly(number=9, year=2029, members=12, delegates=20)
    text = pdf_text(render.pdf(build(9)))
    flat = " ".join(text.split())
    assert "Synthetic General Assembly 9" in flat
    assert "Synthetic North 4" in flat and "Synthetic South 4" in flat
    assert "Synthetic outcome 1 was adopted." in flat
    assert "Synthetic outcome 2 was adopted." in flat
    assert data.winner in flat
    assert "Synthetic Gold" in flat
    assert f"Total Population Represented: {data.population:,}" in flat
    assert "Synthetic Sponsor Foundation" in flat
    assert "Side Session: Synthetic Data for Cities" in flat
    assert "Delegates (approved registrations) by region" in flat
    assert "Seoul" not in flat


def test_query_count_does_not_grow_with_members_or_delegates():
    synthetic_assembly(number=9, year=2029, members=8, delegates=10)
    with CaptureQueriesContext(connection) as small:
        few = build(9)
    synthetic_assembly(number=10, year=2030, members=60, delegates=200)
    with CaptureQueriesContext(connection) as large:
        many = build(10)
    assert many.highlight["participants"].value == 200
    assert len(many.membership_by_year) == len(few.membership_by_year) == 10
    assert len(large.captured_queries) == len(small.captured_queries)


def test_a_missing_event_and_prize_are_stated_not_stubbed():
    synthetic_assembly(number=9, year=2029, members=8, delegates=10)
    from urbis.events.models import Event
    from urbis.prize.models import Edition

    Event.objects.all().delete()
    Edition.objects.update(ceremony_date=None)  # no ceremony during the assembly
    report = build(9)
    assert report.statistics is None and report.prize is None
    assert len(report.notes) == 2
    flat = " ".join(pdf_text(render.pdf(report)).split())
    # A note for the secretariat's page, not for the published report.
    assert "No event is recorded" not in flat
    assert "No event is recorded for the dates of this assembly" in render.html(
        report, can_build=True
    )
    assert "List of Participating Cities" not in flat


def test_unknown_assembly_is_a_clear_error():
    with pytest.raises(ReportError, match="no General Assembly number 99"):
        build(99)
