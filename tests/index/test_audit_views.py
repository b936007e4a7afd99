"""The coherence audit: staff page with charts, XLSX export and API operation."""

import io

import numpy as np
import openpyxl
import pytest
from django.urls import reverse

from tests.factories.index import EditionFactory, edition_with_data
from urbis.index import queries
from urbis.index.engine.audit import audit
from urbis.index.engine.pipeline import prepare
from urbis.index.engine.pooling import WAVE_WEIGHTS, pool

pytestmark = pytest.mark.django_db


def test_the_audit_is_the_engine_audit_of_the_pooled_edition():
    edition, cities, items = edition_with_data(cities=6)
    report = queries.edition_audit(edition)
    data = queries.edition_data(edition)
    pooled = pool(data.values, WAVE_WEIGHTS)
    plan = prepare(queries.edition_config(edition, data.items), pooled.values)
    expected = audit(plan, pooled.values)
    assert report.cities == [c.name for c in cities] and report.waves == [2023, 2022, 2021]
    assert report.audit is not None
    assert [s.code for s in report.audit.indicators] == [i.code for i in items]
    assert [a.alpha for a in report.audit.alphas] == [a.alpha for a in expected.alphas]
    assert report.audit.city_availability == [1.0] * 6


def test_the_audit_needs_data():
    report = queries.edition_audit(EditionFactory())
    assert report.audit is None and "at least 3 cities" in report.problem


def test_audit_page_is_for_the_secretariat(client, focal_point, staff_user):
    edition_with_data(cities=6)
    url = reverse("index:audit", args=[2023])
    assert client.get(url).status_code == 302
    client.force_login(focal_point[0])
    assert client.get(url).status_code == 403
    assert client.get(reverse("index:audit_export", args=[2023])).status_code == 403
    assert client.get("/api/v1/index/editions/2023/audit").status_code == 403


def test_audit_page_shows_flags_alpha_and_components(
    client, staff_user, django_assert_max_num_queries
):
    edition_with_data(cities=6)
    client.force_login(staff_user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("index:audit", args=[2023]))
    assert response.status_code == 200
    body = response.content.decode()
    for text in ("Cronbach", "Principal components", "Flags", "SYNTHETIC", "<svg"):
        assert text in body
    sample = client.get(reverse("index:audit", args=[2023]), {"moments": "sample"})
    assert "sample, bias-corrected (<a" in sample.content.decode()


def test_audit_page_without_data_says_why(client, staff_user):
    EditionFactory()
    client.force_login(staff_user)
    response = client.get(reverse("index:audit", args=[2023]))
    assert response.status_code == 400
    assert b"at least 3 cities" in response.content


def test_audit_export_is_a_workbook(client, staff_user):
    edition_with_data(cities=6)
    client.force_login(staff_user)
    response = client.get(reverse("index:audit_export", args=[2023]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Indicators",
        "Correlations",
        "Across levels",
        "Cronbach alpha",
        "PCA",
        "Cities",
    ]
    rows = list(book["Indicators"].values)
    assert rows[0][0] == "indicator" and rows[1][0].startswith("SYNTHETIC")
    assert len(rows) == 2 + 10  # header, label, one item per pillar x area
    assert list(book["Cities"].values)[1] == ("City 00", 1)


def test_audit_api(client, staff_user):
    edition, _, items = edition_with_data(cities=6)
    client.force_login(staff_user)
    body = client.get("/api/v1/index/editions/2023/audit").json()
    assert body["edition"] == 2023 and body["moments"] == "population"
    assert [s["code"] for s in body["indicators"]] == [i.code for i in items]
    assert body["thresholds"] == {"negative": 0.0, "collinear": 0.9}
    assert {a["level"] for a in body["alphas"]} == {"indicators", "areas", "pillars"}
    assert body["cities"][0] == {"city": "City 00", "availability": 1.0}
    report = queries.edition_audit(edition, bias_corrected=True)
    assert report.audit is not None
    sample = client.get("/api/v1/index/editions/2023/audit", {"moments": "sample"}).json()
    assert np.allclose(
        [s["kurtosis"] for s in sample["indicators"]],
        [s.kurtosis for s in report.audit.indicators],
    )
    bad = client.get("/api/v1/index/editions/2023/audit", {"moments": "x"})
    assert bad.status_code == 400 and "moments" in bad.json()["detail"]
    EditionFactory(year=2026)
    empty = client.get("/api/v1/index/editions/2026/audit")
    assert empty.status_code == 400 and "at least 3 cities" in empty.json()["detail"]
