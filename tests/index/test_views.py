"""Ranking and city pages, CSV export, API and the command line."""

import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories.index import EditionFactory, edition_with_data
from urbis.common.actor import Actor
from urbis.index import domain
from urbis.index.models import Computation

pytestmark = pytest.mark.django_db

LABEL = b"SYNTHETIC demonstration data"


@pytest.fixture
def computed():
    edition, cities, _ = edition_with_data(cities=8)
    computation = domain.index_compute(
        edition=edition, actor=Actor.system(), runs=100, seed=1, sobol_samples=16
    )
    return edition, cities, computation


def _ranking_queries(client, year) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("index:ranking", args=[year]))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_ranking_query_count_does_not_grow_with_cities(client):
    small, _, _ = edition_with_data(cities=5, year=2022)
    domain.index_compute(edition=small, actor=Actor.system(), runs=20, sobol_samples=0)
    large, _, _ = edition_with_data(cities=16, year=2023)
    domain.index_compute(edition=large, actor=Actor.system(), runs=20, sobol_samples=0)
    assert _ranking_queries(client, 2023) == _ranking_queries(client, 2022)


def test_home_redirects_to_the_latest_edition(client, computed):
    response = client.get(reverse("index:home"))
    assert response.status_code == 302 and response.url == "/index/2023/"


def test_home_without_edition(client):
    assert b"No edition" in client.get(reverse("index:home")).content


def test_ranking_page_shows_intervals_and_the_synthetic_label(client, computed):
    _edition, _cities, computation = computed
    response = client.get(reverse("index:ranking", args=[2023]))
    body = response.content.decode()
    assert LABEL.decode() in body
    first = computation.results.order_by("rank", "city__name").first()
    assert f"{first.rank_low}\u2013{first.rank_high}" in body
    assert "Sobol" in body and "minmax" in body


def test_ranking_filtered_by_tier(client, computed):
    _, _, computation = computed
    body = client.get(reverse("index:ranking", args=[2023]), {"tier": 4}).content.decode()
    for r in computation.results.all():
        assert (f">{r.city.name}<" in body) == (r.tier == 4)


def test_uncomputed_edition(client):
    EditionFactory(year=2020)
    assert b"not been computed" in client.get(reverse("index:ranking", args=[2020])).content
    assert client.get(reverse("index:export", args=[2020])).status_code == 404


def test_city_profile(client, computed):
    _, cities, computation = computed
    result = computation.results.get(city=cities[0])
    response = client.get(reverse("index:city", args=[2023, cities[0].slug]))
    body = response.content.decode()
    assert response.status_code == 200
    assert LABEL.decode() in body
    assert f"Rank <strong>{result.rank}</strong> of 8" in body
    assert "Priority areas" in body and "Health &amp; safety" in body
    assert f"tier {result.tier} of 4" in body
    assert client.get(reverse("index:city", args=[2023, "nowhere"])).status_code == 404


def test_csv_export_is_labelled_synthetic(client, computed):
    response = client.get(reverse("index:export", args=[2023]))
    lines = response.content.decode().splitlines()
    assert lines[0].startswith('"# SYNTHETIC')
    assert lines[1].startswith("rank,city,country,tier")
    assert len(lines) == 10 and all(line.endswith(",synthetic") for line in lines[2:])


def test_api(client, computed):
    editions = client.get("/api/v1/index/editions").json()
    assert editions == [
        {
            "year": 2023,
            "title": "Smart City Index 2023",
            "synthetic": True,
            "cutpoints": editions[0]["cutpoints"],
            "computed": True,
        }
    ]
    ranking = client.get("/api/v1/index/editions/2023/ranking").json()
    assert ranking["synthetic"] is True and ranking["runs"] == 100
    assert [r["rank"] for r in ranking["results"]] == sorted(r["rank"] for r in ranking["results"])
    tier1 = client.get("/api/v1/index/editions/2023/ranking", {"tier": 1}).json()
    assert {r["tier"] for r in tier1["results"]} == {1}
    city = client.get("/api/v1/index/editions/2023/cities/city-03").json()
    assert city["city"] == "City 03" and city["rank_low"] <= city["rank_high"]
    assert client.get("/api/v1/index/editions/1999/ranking").status_code == 404


def test_cli_compute_and_import(tmp_path, capsys):
    _edition, _, _ = edition_with_data(cities=8)
    call_command("index", "compute", "--edition", "2023", "--runs", "50", "--sobol-samples", "0")
    out = capsys.readouterr().out
    assert "Computed Smart City Index 2023 (2023) (SYNTHETIC data): 8 cities, 50 runs" in out
    assert Computation.objects.get().runs == 50
    bad = tmp_path / "cities.csv"
    bad.write_text("name,country,hdi\nSeoul,KR,2\n", encoding="utf-8")
    with pytest.raises(Exception, match="row 2: hdi: 2 is not within 0-1"):
        call_command("index", "import", "cities", str(bad), "--edition", "2023")


def test_demo_loader_twice_changes_nothing():
    from urbis.demo.loaders import index as loader
    from urbis.demo.loaders.context import LoadContext
    from urbis.index.models import City, CityResult, SurveyValue

    first = loader.load(LoadContext())
    counts = (City.objects.count(), SurveyValue.objects.count(), CityResult.objects.count())
    second = loader.load(LoadContext())
    assert "SYNTHETIC" in first and "computed" in first and "computed" not in second
    assert counts == (
        City.objects.count(),
        SurveyValue.objects.count(),
        CityResult.objects.count(),
    )
    assert counts[0] == 53
    assert json.dumps(CityResult.objects.first().rating_probabilities)


def test_permissions(admin_user, staff_user, excom_user):
    from django.contrib.auth.models import AnonymousUser

    assert AnonymousUser().has_perm("index.view_results")
    assert staff_user.has_perm("index.compute") and admin_user.has_perm("index.import_data")
    assert not excom_user.has_perm("index.compute")


def test_import_page_requires_the_secretariat(client, focal_point):
    EditionFactory()
    url = reverse("index:import", args=[2023])
    assert client.get(url).status_code == 302  # to sign in
    client.force_login(focal_point[0])
    assert client.get(url).status_code == 403


def test_import_page_lists_row_errors_and_writes_nothing(client, staff_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from urbis.index.models import City

    EditionFactory()
    client.force_login(staff_user)
    url = reverse("index:import", args=[2023])
    bad = SimpleUploadedFile("c.csv", b"name,country,hdi\nSeoul,KR,0.9\nDublin,XX,0.9\n")
    response = client.post(url, {"kind": "cities", "file": bad})
    assert response.status_code == 400
    assert b"row 3: country: &#x27;XX&#x27; is not a country" in response.content
    assert City.objects.count() == 0
    good = SimpleUploadedFile("c.csv", b"name,country,hdi\nSeoul,KR,0.9\n")
    response = client.post(url, {"kind": "cities", "file": good})
    assert response.status_code == 200 and b"Imported 1 row." in response.content
    assert City.objects.get().name == "Seoul"


def test_import_page_refuses_a_corrupt_workbook_without_a_500(client, staff_user):
    import io
    import zipfile

    from django.core.files.uploadedfile import SimpleUploadedFile

    from urbis.index.models import City

    EditionFactory()
    client.force_login(staff_user)
    url = reverse("index:import", args=[2023])
    not_zip = SimpleUploadedFile("c.xlsx", b"name,country,hdi\nSeoul,KR,0.9\n")
    response = client.post(url, {"kind": "cities", "file": not_zip})
    assert response.status_code == 400
    assert b"file: format: not a readable XLSX file (File is not a zip file)" in response.content
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:  # a zip, but no workbook inside
        archive.writestr("notes.txt", "x")
    partial = SimpleUploadedFile("c.xlsx", buffer.getvalue())
    response = client.post(url, {"kind": "cities", "file": partial})
    assert response.status_code == 400
    assert b"file: format: not a readable XLSX file" in response.content
    assert City.objects.count() == 0


def test_demo_loader_reports_file_and_line(tmp_path):
    import shutil

    from urbis.demo.loaders import index as loader
    from urbis.demo.loaders.context import DATA_DIR, LoadContext
    from urbis.demo.yamlio import DataErrors
    from urbis.index.models import City

    shutil.copytree(DATA_DIR / "index", tmp_path / "index")
    cities = tmp_path / "index" / "cities.yaml"
    text = cities.read_text(encoding="utf-8").replace("hdi: 0.572", "hdi: 7", 1)
    cities.write_text(text, encoding="utf-8")
    line = next(n for n, t in enumerate(text.splitlines(), 1) if t.strip() == "hdi: 7")
    with pytest.raises(DataErrors) as exc:
        loader.load(LoadContext(data_dir=tmp_path))
    assert [str(e) for e in exc.value.errors] == [
        f"cities.yaml:{line - 2}: hdi: 7 is not within 0-1"
    ]
    assert City.objects.count() == 0


def test_index_router_has_an_openapi_schema():
    from ninja import NinjaAPI

    from urbis.index.api import router

    api = NinjaAPI(urls_namespace="index-schema-test")
    api.add_router("/index", router)
    paths = api.get_openapi_schema(path_prefix="/api/v1/")["paths"]
    assert sorted(paths) == [
        "/api/v1/index/cities/{slug}/trend",
        "/api/v1/index/editions",
        "/api/v1/index/editions/{year}/audit",
        "/api/v1/index/editions/{year}/cities/{slug}",
        "/api/v1/index/editions/{year}/computations",
        "/api/v1/index/editions/{year}/imports",
        "/api/v1/index/editions/{year}/ranking",
        "/api/v1/index/indicators/{code}/trend",
    ]


def test_cli_creates_an_edition_with_its_cut_points(tmp_path, capsys):
    from urbis.index.models import Edition

    path = tmp_path / "cut.yaml"
    path.write_text(
        "1: {AAA: 85, AA: 70, A: 55, BBB: 40}\n2: {A: 75, BBB: 60, BB: 45, B: 30}\n"
        "3: {BB: 65, B: 50, CCC: 35, CC: 20}\n4: {CCC: 55, CC: 40, C: 25}\n",
        encoding="utf-8",
    )
    call_command("index", "edition", "--edition", "2026", "--title", "Index 2026",
                 "--cutpoints", str(path))  # fmt: skip
    assert Edition.objects.get(year=2026).cutpoints["4"] == {"CCC": 55, "CC": 40, "C": 25}
    path.write_text("1: {AAA: 85}\n", encoding="utf-8")
    with pytest.raises(Exception, match="tier 1: cut-points must be given"):
        call_command("index", "edition", "--edition", "2026", "--title", "x",
                     "--cutpoints", str(path))  # fmt: skip
