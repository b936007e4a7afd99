"""Trends across editions: a city's results and an item's pooled shares."""

import pytest
from django.urls import reverse

from tests.factories.index import CityFactory, EditionFactory, edition_with_data
from urbis.common.actor import Actor
from urbis.index import domain, queries
from urbis.index.models import Indicator, SurveyValue

pytestmark = pytest.mark.django_db


def item(year, code="s-mobility-0"):
    edition = EditionFactory(year=year)
    return Indicator.objects.create(
        edition=edition, code=code, pillar="structures", area="mobility", statement="Buses"
    )


def shares(indicator, city, by_wave):
    for wave, share in by_wave.items():
        SurveyValue.objects.create(
            indicator=indicator, city=city, wave=wave, share=share, respondents=120
        )


def test_indicator_trend_pools_each_editions_waves():
    seoul, dublin = CityFactory(name="Seoul"), CityFactory(name="Dublin")
    first, later = item(2023), item(2026)
    # 2023: (3 x 0.6 + 2 x 0.5 + 0.2) / 6 = 0.5; a 2020 wave is outside the window
    shares(first, seoul, {2023: 0.6, 2022: 0.5, 2021: 0.2, 2020: 0.9})
    shares(first, dublin, {2023: 0.3})
    # 2026: no 2025 wave, 3:1 -> (3 x 0.9 + 0.3) / 4 = 0.75
    shares(later, seoul, {2026: 0.9, 2024: 0.3})
    rows = queries.indicator_trend("s-mobility-0", seoul)
    assert [(r.year, r.waves, r.cities) for r in rows] == [
        (2023, [2023, 2022, 2021], 2),
        (2026, [2026, 2025, 2024], 1),
    ]
    assert rows[0].city == pytest.approx(0.5) and rows[0].mean == pytest.approx(0.4)
    assert rows[1].city == pytest.approx(0.75) and rows[1].mean == pytest.approx(0.75)
    assert queries.indicator_trend("s-mobility-0", dublin)[1].city is None
    assert queries.indicator_trend("nothing") == []
    trends = queries.city_indicator_trends(seoul)
    assert trends == [("s-mobility-0", "Buses", {2023: pytest.approx(0.5), 2026: 0.75})]


@pytest.fixture
def two_editions():
    first, cities, _ = edition_with_data(cities=6, year=2023)
    later, _, _ = edition_with_data(cities=6, year=2026, seed=2)
    a = domain.index_compute(edition=first, actor=Actor.system(), runs=50, seed=1, sobol_samples=0)
    b = domain.index_compute(edition=later, actor=Actor.system(), runs=50, seed=1, sobol_samples=0)
    return cities, a, b


def test_city_trend_takes_the_latest_computation_of_each_edition(two_editions):
    cities, _, b = two_editions
    later = domain.index_compute(
        edition=b.edition, actor=Actor.system(), runs=60, seed=2, sobol_samples=0
    )
    rows = queries.city_trend(cities[5])
    assert [(r.year, r.cities) for r in rows] == [(2023, 6), (2026, 6)]
    mine = later.results.get(city=cities[5])
    assert (rows[1].rank, rows[1].score, rows[1].rating) == (mine.rank, mine.score, mine.rating)
    assert set(rows[0].pillars) == {"Structures", "Technology"}


def test_city_page_shows_the_trend(client, two_editions, django_assert_max_num_queries):
    cities, _, _ = two_editions
    url = reverse("index:city", args=[2026, cities[5].slug])
    with django_assert_max_num_queries(12):
        response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Across editions" in body and "2023" in body and "Survey items across editions" in body


def test_trend_api(client, two_editions):
    cities, _, b = two_editions
    body = client.get(f"/api/v1/index/cities/{cities[5].slug}/trend").json()
    assert body["id"] == cities[5].pk and [e["year"] for e in body["editions"]] == [2023, 2026]
    assert body["editions"][1]["rank"] == b.results.get(city=cities[5]).rank
    code = Indicator.objects.filter(edition=b.edition).first().code
    item_body = client.get(
        f"/api/v1/index/indicators/{code}/trend", {"city": cities[5].slug}
    ).json()
    assert [e["year"] for e in item_body["editions"]] == [2023, 2026]
    assert item_body["editions"][0]["cities"] == 6 and item_body["editions"][0]["city"] > 0
    assert client.get("/api/v1/index/indicators/none/trend").status_code == 404
    assert client.get("/api/v1/index/cities/nowhere/trend").status_code == 404
