import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories.members import OrganisationFactory, member_since
from urbis.common.models import AuditRecord
from urbis.members.models import Organisation

pytestmark = pytest.mark.django_db

GOOD = b"name,category,country\nSeoul,local_government,KR\nBishkek,local_government,KG\n"
BAD = b"name,category,country,population\nSeoul,local_government,Narnia,\nAcme,corporation,US,5\n"


def _post(client, data: bytes, action: str, name: str = "members.csv", **headers):
    file = SimpleUploadedFile(name, data)
    return client.post(reverse("members:import"), {"file": file, "action": action}, **headers)


def test_anonymous_is_sent_to_sign_in_and_others_are_refused(client, focal_point, excom_user):
    response = client.get(reverse("members:import"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.get(reverse("members:export")).status_code == 302
    for user in (focal_point[0], excom_user):
        client.force_login(user)
        assert client.get(reverse("members:import")).status_code == 403
        assert _post(client, GOOD, "import").status_code == 403
        assert client.get(reverse("members:export")).status_code == 403
    assert Organisation.objects.count() == 1


def test_page_shows_the_form_and_export_links(client, staff_user):
    client.force_login(staff_user)
    response = client.get(reverse("members:import"), {"category": "corporation"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="action" value="preview"' in html
    assert 'href="/members/export/?category=corporation&amp;format=csv"' in html
    assert 'href="/members/export/?category=corporation&amp;format=xlsx"' in html


def test_preview_lists_counts_and_writes_nothing(client, staff_user):
    client.force_login(staff_user)
    response = _post(client, GOOD, "preview")
    assert response.status_code == 200
    text = " ".join(response.content.decode().split())
    assert "Preview (nothing written): <strong>2</strong> to create," in text
    assert Organisation.objects.count() == 0


def test_preview_lists_every_error(client, staff_user):
    client.force_login(staff_user)
    response = _post(client, BAD, "preview", HTTP_HX_REQUEST="true")
    assert response.status_code == 200  # htmx swaps 2xx only
    html = response.content.decode()
    assert "2 errors; nothing was written." in html
    assert "<li>row 2: country: unknown country &#x27;Narnia&#x27;" in html
    assert "<li>row 3: population: only local governments have one</li>" in html
    assert "<html" not in html  # the partial only
    full = _post(client, BAD, "import")
    assert full.status_code == 422
    assert Organisation.objects.count() == 0
    assert AuditRecord.objects.count() == 0


def test_import_writes_and_reports(client, staff_user):
    client.force_login(staff_user)
    response = _post(client, GOOD, "import")
    assert response.status_code == 200
    text = " ".join(response.content.decode().split())
    assert "Imported: <strong>2</strong> created, <strong>0</strong> updated," in text
    assert sorted(Organisation.objects.values_list("name", flat=True)) == ["Bishkek", "Seoul"]
    again = _post(client, GOOD, "import")
    again_text = " ".join(again.content.decode().split())
    assert (
        "<strong>0</strong> created, <strong>0</strong> updated, <strong>2</strong> unchanged."
        in again_text
    )


def test_missing_file_is_named(client, staff_user):
    client.force_login(staff_user)
    response = client.post(reverse("members:import"), {"action": "preview"})
    assert response.status_code == 422
    assert "Choose a CSV or XLSX file first." in response.content.decode()


def test_export_download_honours_filters(client, staff_user):
    member_since(dt.date(2015, 1, 1), name="Seoul")
    OrganisationFactory(name="Acme", category="corporation", country="US")
    client.force_login(staff_user)
    response = client.get(
        reverse("members:export"), {"state": "member", "as_of": "2023-09-26", "format": "csv"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="organisations-2023-09-26.csv"'
    assert [line.split(",")[0] for line in response.content.decode().splitlines()] == [
        "name",
        "Seoul",
    ]
    assert client.get(reverse("members:export"), {"format": "pdf"}).status_code == 404
    xlsx = client.get(reverse("members:export"), {"format": "xlsx"})
    assert (xlsx.status_code, xlsx.content[:2]) == (200, b"PK")


def test_directory_links_to_import_and_export_for_the_secretariat_only(client, staff_user):
    member_since(dt.date(2015, 1, 1), name="Seoul")
    url = reverse("members:directory")
    html = client.get(url, {"category": "local_government"}).content.decode()
    assert "/members/export/" not in html
    assert "/members/import/" not in html
    client.force_login(staff_user)
    html = client.get(url, {"category": "local_government"}).content.decode()
    assert 'href="/members/export/?category=local_government&amp;format=csv"' in html
    assert 'href="/members/import/"' in html


def test_directory_query_count_with_export_links(client, staff_user):
    client.force_login(staff_user)
    for i in range(2):
        member_since(dt.date(2015, 1, 1), name=f"Early {i}")
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("members:directory"))
    for i in range(20):
        member_since(dt.date(2016, 1, 1), name=f"Late {i}")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("members:directory"))
    assert len(many.captured_queries) == len(few.captured_queries)
