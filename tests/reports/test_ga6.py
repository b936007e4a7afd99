"""The activity report of the 6th General Assembly, checked from the PDF's extracted text
against the facts the data defines."""

from __future__ import annotations

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from urbis.common.pdf import pdf_text
from urbis.reports import render
from urbis.reports.assembly import ActivityReport, build

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ga6_data")]


@pytest.fixture(scope="module")
def ga6(ga6_data, django_db_blocker) -> tuple[ActivityReport, str, int, list[str]]:
    with django_db_blocker.unblock():
        with CaptureQueriesContext(connection) as queries:
            report = build(6)
        data = render.pdf(report)
    pages = [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]
    text = pdf_text(data)
    return report, " ".join(text.split()), len(queries.captured_queries), pages


@pytest.fixture
def flat(ga6) -> str:
    return ga6[1]


TERM = "2023\u20132026"  # en dash, as printed

CITIES = {
    "Africa": "Abuja; Addis Ababa; Kampala; Lusaka; Maputo; Nansana Municipality; Tubah",
    "Europe": "Beyoğlu; Dublin; Konya; Madrid; Odense",
    "Middle East": "Abu Dhabi; Hebron; Madinah; Shiraz; Tehran",
    "Americas": "Cuenca; Los Angeles; Mexico City; São Paulo",
    "Asia-Pacific": (
        "Agra; Almaty; Anyang City; Astana; Baguio; Bangkok; Bhadrapur Municipality; "
        "Birtamode Municipality; Bishkek; Chengdu; Chirchik; Da Nang; Damak Municipality; "
        "Dhaka South; Dujiangyan; Gauriganj; Goyang; Jeju Province; Kanakai Municipality; "
        "Kaohsiung; La Union; Makati; Manila City; Penang Island; Pokhara Metropolitan City; "
        "Quezon City; Ryde; Sainshand City; San Fernando, La Union; Seberang Perai; "
        "Sejong City; Seoul; Shivasatakshi Municipality; Sri Jayawardenepura Kotte; "
        "Sundarharaicha Municipality; Tashkent City; Wellington"
    ),
}


def test_the_58_participating_cities_by_region(ga6, flat):
    report = ga6[0]
    assert report.highlight["cities"].value == 58
    assert [(r.region, r.count) for r in report.statistics.cities_by_region] == [
        ("Africa", 7),
        ("Europe", 5),
        ("Middle East", 5),
        ("Americas", 4),
        ("Asia-Pacific", 37),
    ]
    assert "58 participating cities from 35 countries in 5 regions." in flat
    for region, cities in CITIES.items():
        count = len(cities.split("; "))
        assert f"{region} {count} {cities}" in flat
    assert sum(len(c.split("; ")) for c in CITIES.values()) == 58


def test_quorum_members_and_population(flat):
    assert "45 quorum members were present, representing a population of 130,996,081" in flat
    assert "Total Population Represented: 130,996,081" in flat
    assert "130,996,081 Population represented" in flat
    assert "45 Quorum members present" in flat
    assert "⌈163 \u00d7 1/4⌉ = 41" in flat


def test_the_eight_agenda_outcomes(ga6, flat):
    items = ga6[0].memorandum.items
    assert [i.number for i in items] == list(range(1, 9))
    for item in items:
        assert f"Agenda {item.number}. {item.title}" in flat
        assert item.decision.outcome in flat
    assert "Seoul was approved as the President City for the term 2023-2026." in flat
    assert "Almaty was approved as the host city of the 7th General Assembly in 2026" in flat


def test_the_officers_2023_2026(flat):
    assert f"Officers {TERM}" in flat
    for office, holder in [
        ("President City", "Seoul"),
        ("Executive Vice President City", "Almaty"),
        ("Vice President City", "Kampala"),
        ("Vice President City", "São Paulo"),
    ]:
        assert f"{office} {holder} {TERM}" in flat
    excom = re.findall(r"EXCOM member (.+?) " + TERM, flat)
    assert len(excom) == 14  # once: in the memorandum (the session chapter does not repeat it)
    assert (
        "Executive Vice President City (Art. 11(4): the next host): Almaty, " + TERM + "." in flat
    )


def test_the_prize_winners(flat):
    for award, winner in [
        ("Tech-InnovaCity Gold", "Wellington"),
        ("Human-CentriCity Gold", "Odense"),
        ("Leadership Prize", "Uğur İbrahim Altay"),
        ("Leadership Prize", "Sheikh Fazle Noor Taposh"),
        ("Tech-InnovaCity Corporation", "Majal Berkane SA"),
    ]:
        assert f"{award} {winner}" in flat
    assert "Special mentions" in flat
    assert "Madinah City Living Museum" in flat


def test_the_membership_changes(ga6, flat):
    report = ga6[0]
    assert [(s.title, s.count) for s in report.membership.sections] == [
        ("New members", 18),
        ("Withdrawal of members", 6),
        ("Suspensions", 22),
        ("Termination of members", 20),
    ]
    for label, n in [
        ("New members", 18),
        ("Withdrawal of members", 6),
        ("Suspensions", 22),
        ("Termination of members", 20),
    ]:
        assert flat.count(f"{label} ({n})") == 1  # the report's annex, not repeated
    for name in ("Chirchik", "Bishkek", "Ryde"):
        assert name in flat[flat.index("New members (18)") :]


def test_highlights_state_their_definitions(ga6, flat):
    report = ga6[0]
    assert {f.key for f in report.highlights} >= {
        "participants",
        "cities",
        "countries",
        "regions",
        "mayoral_registrations",
        "mayoral_session",
        "population",
        "new_members",
        "regional_offices",
        "officers",
    }
    for f in report.highlights:
        assert f.definition
        assert " ".join(f"{f.label}: {f.definition}".split())[:60] in flat
    assert report.highlight["regional_offices"].value == 6


def test_table_of_contents_has_page_numbers_and_running_headers(flat):
    toc = flat[
        flat.index("Table of Contents") : flat.index(
            "Highlights", flat.index("Annex: Membership Fees")
        )
    ]
    assert re.search(r"List of Participating Cities \.+ \d+", toc)
    assert re.search(r"Meeting Memorandum of the 6th General Assembly 2023 \.+ \d+", toc)


def test_queries_are_few(ga6):
    assert ga6[2] < 60


def test_running_headers_repeat_the_chapter_title(ga6):
    pages = ga6[3]
    assert "Table of Contents" in pages[1]
    memo = "Meeting Memorandum of the 6th General Assembly 2023"
    # the chapter starts on one page and its title runs at the head of the following ones
    assert sum(1 for p in pages if memo in p) >= 3
    assert not any("Highlights" in p for p in pages[:1])  # no header on the cover
