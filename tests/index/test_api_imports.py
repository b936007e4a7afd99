"""Index files imported through the API, as on the import page: all rows or none."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories.index import EditionFactory
from urbis.common.models import AuditRecord
from urbis.index.models import City, CityHDI

pytestmark = pytest.mark.django_db


def _csv(*rows):
    return SimpleUploadedFile(
        "cities.csv", "".join(",".join(r) + "\n" for r in rows).encode(), "text/csv"
    )


def _import(client, year, kind, upload):
    return client.post(f"/api/v1/index/editions/{year}/imports", {"kind": kind, "file": upload})


def test_a_cities_file_is_imported_and_audited(client, staff_user):
    edition = EditionFactory()
    client.force_login(staff_user)
    upload = _csv(["name", "country", "hdi"], ["Seoul", "KR", "0.93"], ["Lyon", "FR", "0.9"])
    response = _import(client, edition.year, "cities", upload)
    assert (response.status_code, response.json()) == (
        201,
        {"edition": edition.year, "kind": "cities", "rows": 2},
    )
    assert sorted(CityHDI.objects.values_list("city__name", "hdi")) == [
        ("Lyon", 0.9),
        ("Seoul", 0.93),
    ]
    record = AuditRecord.objects.get(action="index.cities_import")
    assert (record.target_id, record.actor, record.after["rows"]) == (
        str(edition.pk),
        staff_user,
        2,
    )


def test_a_bad_file_names_every_bad_row_and_writes_nothing(client, staff_user):
    edition = EditionFactory()
    client.force_login(staff_user)
    upload = _csv(
        ["name", "country", "hdi"],
        ["Seoul", "KR", "0.93"],
        ["Atlantis", "Nowhere", "0.7"],
        ["Dublin", "IE", "1.3"],
    )
    response = _import(client, edition.year, "cities", upload)
    assert response.status_code == 422
    assert response.json() == {
        "detail": "The file has 2 error(s); nothing was imported.",
        "errors": {
            "file": [
                "row 3: country: 'Nowhere' is not a country",
                "row 4: hdi: 1.3 is not within 0-1",
            ]
        },
    }
    assert City.objects.count() == 0
    assert not AuditRecord.objects.exists()


def test_an_unknown_kind_names_the_field(client, staff_user):
    edition = EditionFactory()
    client.force_login(staff_user)
    response = _import(client, edition.year, "weather", _csv(["name"], ["x"]))
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "kind": ["Unknown kind 'weather'; choose one of cities, indicators, survey."]
    }
    assert _import(client, 1900, "cities", _csv(["name"], ["x"])).status_code == 404


def test_the_import_is_refused_to_excom(client, excom_user):
    edition = EditionFactory()
    client.force_login(excom_user)
    upload = _csv(["name", "country", "hdi"], ["Seoul", "KR", "0.93"])
    assert _import(client, edition.year, "cities", upload).status_code == 403
    assert City.objects.count() == 0


def test_a_file_over_the_import_limit_is_refused_unread(client, staff_user, settings):
    """The import read the whole upload, whatever its size; now it is read one byte past
    URBIS_MAX_IMPORT_BYTES and refused by the shared reader, as the other imports are."""
    settings.URBIS_MAX_IMPORT_BYTES = 40
    edition = EditionFactory()
    client.force_login(staff_user)
    upload = _csv(["name", "country", "hdi"], ["Seoul", "KR", "0.93"], ["Busan", "KR", "0.91"])
    response = _import(client, edition.year, "cities", upload)
    assert response.status_code == 422
    assert response.json() == {
        "detail": "The file has 1 error(s); nothing was imported.",
        "errors": {"file": ["file: size: larger than the limit of 40 bytes"]},
    }
    assert City.objects.count() == 0
