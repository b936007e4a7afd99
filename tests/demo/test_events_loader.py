"""The 6th GA event data set: loads, reproduces the seed's figures, and loads twice alike."""

import datetime as dt

import pytest

from urbis.common.models import AuditRecord, CountryRegion, Region
from urbis.demo.loaders import events as loader
from urbis.demo.loaders.context import LoadContext
from urbis.demo.yamlio import DataErrors
from urbis.events import geo, queries
from urbis.events.models import Event, Registration, Session

pytestmark = pytest.mark.django_db

# The seed's own grouping of the participating cities' countries (List of Participating Cities).
SEED_REGIONS = {
    "Africa": ["NG", "ET", "UG", "ZM", "MZ", "CM"],
    "Europe": ["TR", "IE", "ES", "DK"],
    "Middle East": ["AE", "PS", "SA", "IR"],
    "Americas": ["EC", "US", "MX", "BR"],
    "Asia-Pacific": [
        "IN", "KZ", "KR", "PH", "TH", "NP", "KG", "CN", "UZ", "VN", "BD", "TW", "MY", "AU",
        "MN", "LK", "NZ",
    ],
}  # fmt: skip


@pytest.fixture
def regions():
    for order, (name, codes) in enumerate(SEED_REGIONS.items()):
        region = Region.objects.create(
            code=name.lower().replace(" ", "-"), name=name, sort_order=order
        )
        for code in codes:
            CountryRegion.objects.create(country=code, region=region)


def test_the_seed_figures_are_computed_from_the_demo_data(regions, client):
    summary = loader.load(LoadContext())
    assert summary.startswith("events: 1 event, 19 sessions, 107 registrations")
    event = Event.objects.get(slug="ga6")
    stats = queries.statistics(event)
    assert [(r.region, r.count) for r in stats.cities_by_region] == [
        ("Africa", 7),
        ("Europe", 5),
        ("Middle East", 5),
        ("Americas", 4),
        ("Asia-Pacific", 37),
    ]
    assert stats.city_count == 58
    assert len(stats.countries) == 35
    assert stats.mayoral_level == 17
    assert (len(stats.organisations), len(stats.embassies)) == (32, 13)
    assert (stats.on_site, stats.online) == (95, 12)
    placed, unplaced = geo.place(stats.cities)
    assert (len(placed), len(unplaced)) == (51, 7)

    # The register of the session day is the memorandum's attendance list: 45 + 5.
    register = queries.checked_in_organisations(event, on=dt.date(2023, 9, 26))
    assert len(register) == 50
    assert sum(r.mode == "on_site" for r in register) == 38
    assert sum(r.mayoral_level for r in register) == 17

    assembly = Session.objects.get(event=event, is_assembly=True)
    assert assembly.title == "6th WeGO General Assembly Session"
    assert [p.name for p in assembly.people.all()] == ["Hong-seok Koo", "Jung Sook Park"]
    api = client.get("/api/v1/events/ga6/statistics").json()
    assert (api["cities"], api["mayoral_level"], len(api["embassies"])) == (58, 17, 13)
    html = client.get("/events/ga6/").content.decode()
    assert "Seoul City Tour Bus" in html and "Damokjeok Hall" in html


def test_loading_twice_changes_nothing():
    loader.load(LoadContext())
    before = (AuditRecord.objects.count(), Registration.objects.count())
    summary = loader.load(LoadContext())
    assert (AuditRecord.objects.count(), Registration.objects.count()) == before
    assert summary.endswith("(0 new, 0 organisations added), 0 new check-ins")


def test_bad_rows_are_all_reported_with_their_line_and_nothing_is_written(tmp_path):
    (tmp_path / "events.yaml").write_text(
        "event:\n"
        "  slug: x\n"
        "  name: X\n"
        "  starts_on: 2023-09-25\n"
        "  ends_on: 2023-09-27\n"
        "  time_zone: Asia/Seoul\n"
        "days:\n"
        "  - day: 2023-09-25\n"
        "    sessions:\n"
        "      - {time: '10:00-11:00', title: Talk, kind: speech}\n"
        "registrations:\n"
        "  - name: Seoul\n"
        "    category: city\n"
        "    country: XX\n"
        "    delegates:\n"
        "      - {person: A, attendance: maybe, checked_in: [2023-10-01]}\n",
        encoding="utf-8",
    )
    with pytest.raises(DataErrors) as exc:
        loader.load(LoadContext(data_dir=tmp_path))
    assert [str(e) for e in exc.value.errors] == [
        "events.yaml:10: kind: unknown kind 'speech'",
        "events.yaml:12: category: unknown category 'city'",
        "events.yaml:12: country: unknown country code 'XX'",
        "events.yaml:16: attendance: 'maybe' is not on_site/online",
        "events.yaml:16: checked_in: 2023-10-01 is not a day of the event",
    ]
    assert not Event.objects.filter(slug="x").exists()
