import pytest

from tests.factories.events import CheckInFactory, EventFactory, RegistrationFactory
from tests.factories.members import OrganisationFactory
from urbis.common.models import CountryRegion, Region
from urbis.events import charts, geo, queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def regions():
    africa = Region.objects.create(code="africa", name="Africa", sort_order=1)
    asia = Region.objects.create(code="asia-pacific", name="Asia-Pacific", sort_order=5)
    east = Region.objects.create(code="east-asia", name="East Asia", parent=asia, sort_order=6)
    CountryRegion.objects.create(country="UG", region=africa)
    CountryRegion.objects.create(country="KR", region=east)
    CountryRegion.objects.create(country="NP", region=asia)


def test_statistics_follow_registrations(regions):
    event = EventFactory()
    seoul = OrganisationFactory(name="Seoul", country="KR")
    RegistrationFactory(event=event, organisation=seoul, mayoral_level=True)
    RegistrationFactory(event=event, organisation=seoul)
    RegistrationFactory(event=event, organisation=OrganisationFactory(name="Kampala", country="UG"))
    RegistrationFactory(
        event=event,
        organisation=OrganisationFactory(name="Agra", country="IN"),
        attendance="online",
        mayoral_level=True,
    )
    RegistrationFactory(
        event=event,
        organisation=OrganisationFactory(name="Embassy of Nepal in Korea", category="embassy"),
    )
    RegistrationFactory(
        event=event,
        organisation=OrganisationFactory(name="Yonsei University", category="institution"),
    )
    RegistrationFactory(event=event, status="pending")  # not counted
    RegistrationFactory(organisation=OrganisationFactory(name="Elsewhere"))  # other event

    stats = queries.statistics(event)
    assert [(r.region, r.count, r.cities) for r in stats.cities_by_region] == [
        ("Africa", 1, ["Kampala"]),
        ("Asia-Pacific", 1, ["Seoul"]),
        ("Region not recorded", 1, ["Agra"]),
    ]
    assert stats.city_count == 3
    assert stats.countries == ["IN", "KR", "UG"]
    assert stats.mayoral_level == 2
    assert [o.name for o in stats.organisations] == ["Yonsei University"]
    assert [o.name for o in stats.embassies] == ["Embassy of Nepal in Korea"]
    assert (stats.delegates, stats.on_site, stats.online) == (6, 5, 1)
    assert (stats.cities_on_site, stats.cities_online_only) == (2, 1)

    # A new delegate from a new city in a new country changes the counts.
    RegistrationFactory(
        event=event,
        organisation=OrganisationFactory(name="Pokhara", country="NP"),
        mayoral_level=True,
    )
    stats = queries.statistics(event)
    assert [(r.region, r.count) for r in stats.cities_by_region] == [
        ("Africa", 1),
        ("Asia-Pacific", 2),
        ("Region not recorded", 1),
    ]
    assert (stats.city_count, len(stats.countries), stats.mayoral_level) == (4, 4, 3)


def test_checked_in_counts_each_delegate_once():
    event = EventFactory()
    reg = RegistrationFactory(event=event)
    CheckInFactory(registration=reg)
    CheckInFactory(registration=reg, day=event.ends_on)
    assert queries.statistics(event).checked_in == 1


def test_geonames_places_cities_by_name_and_country():
    assert geo.coordinates("Seoul", country="KR") == pytest.approx((37.566, 126.978), abs=0.01)
    assert geo.coordinates("Tashkent City", country="UZ") is not None
    assert geo.coordinates("São Paulo", country="BR") is not None
    assert geo.coordinates("San Fernando, La Union", country="PH") is not None
    assert geo.coordinates("Nowhere Municipality", country="NP") is None


def test_bar_chart_and_map_escape_labels():
    svg = charts.bar_chart([("<Africa>", 7), ("Europe", 5)], title="Cities")
    assert "&lt;Africa&gt;" in svg and "<Africa>" not in svg
    assert svg.count("<rect") == 2
    world = charts.world_map([charts.MapPoint("Seoul", 37.5, 127.0)], title="Map", width=360)
    assert '<circle cx="307.0" cy="52.5"' in world


def test_map_background_marks_settled_land_from_the_package():
    cells = geo.settled_cells(1.5)
    assert len(cells) > 500
    # Seoul's cell is settled; the middle of the South Pacific is not.
    assert any(lon <= 126.9 < lon + w and lat - 1.5 < 37.5 <= lat for lon, lat, w in cells)
    assert not any(lon <= -130 < lon + w and lat - 1.5 < -40 <= lat for lon, lat, w in cells)
    svg = charts.world_map([], title="Map", width=360, background=[(0.0, 10.0, 3.0)])
    assert '<path d="M180.0 80.0h3.0v1.5h-3.0z" fill="#cfd8de" class="land"/>' in svg
