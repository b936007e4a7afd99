import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories.members import (
    ContactFactory,
    OrganisationFactory,
    ParticipationFactory,
    member_since,
)
from urbis.common.models import AuditRecord
from urbis.members.models import LifecycleEvent, Organisation, Participation

pytestmark = pytest.mark.django_db
BASE = "/api/v1/members"
JSON = "application/json"


def _client(user=None, **kwargs) -> Client:
    client = Client(**kwargs)
    if user is not None:
        client.force_login(user)
    return client


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"{BASE}/organisations")
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_list_query_count_does_not_grow_with_rows(client):
    for i in range(3):
        member_since(dt.date(2015, 1, 1), name=f"Early {i}")
    few = _list_queries(client)
    for i in range(40):
        member_since(dt.date(2016, 1, 1), name=f"Late {i}")
    assert _list_queries(client) == few
    assert client.get(f"{BASE}/organisations").json()["count"] == 43


def test_openapi_lists_the_paths(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in [
        f"{BASE}/organisations",
        f"{BASE}/organisations/{{slug}}",
        f"{BASE}/organisations/{{slug}}/lifecycle",
        f"{BASE}/organisations/{{slug}}/participations",
        f"{BASE}/organisations/{{slug}}/contacts",
        f"{BASE}/import",
        f"{BASE}/export",
        f"{BASE}/counts",
    ]:
        assert path in paths, path
    assert set(paths[f"{BASE}/organisations/{{slug}}"]) == {"get", "patch"}


def test_docs_page_is_served_locally_without_inline_script(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn." not in html  # no network needed, and the CSP allows only 'self' scripts
    assert 'src="/static/ninja/swagger-ui-bundle.js"' in html
    assert "<script>" not in html


# --- create -------------------------------------------------------------------------------


NEW = {"name": "Bishkek", "category": "local_government", "country": "KG", "population": 1}


def test_anonymous_cannot_write(client):
    org = OrganisationFactory(name="Seoul")
    assert client.post(f"{BASE}/organisations", NEW, content_type=JSON).status_code == 401
    patch = client.patch(f"{BASE}/organisations/{org.slug}", {"city": "X"}, content_type=JSON)
    assert patch.status_code == 401
    event = {"kind": "approved", "date": "2020-01-01"}
    url = f"{BASE}/organisations/{org.slug}/lifecycle"
    assert client.post(url, event, content_type=JSON).status_code == 401
    assert client.get(f"{BASE}/organisations/{org.slug}/contacts").status_code == 401
    assert client.get(f"{BASE}/organisations/{org.slug}/participations").status_code == 401
    assert client.get(f"{BASE}/export").status_code == 401
    assert Organisation.objects.count() == 1
    assert AuditRecord.objects.count() == 0


def test_staff_creates_an_organisation(staff_user):
    response = _client(staff_user).post(f"{BASE}/organisations", NEW, content_type=JSON)
    assert response.status_code == 201
    body = response.json()
    assert (body["slug"], body["country"], body["population"], body["state"]) == (
        "bishkek",
        "KG",
        1,
        "none",
    )
    assert AuditRecord.objects.get(action="organisation.create").actor == staff_user


def test_validation_errors_name_the_field(staff_user):
    payload = {"name": "Acme", "category": "corporation", "population": 5, "website": "nope"}
    response = _client(staff_user).post(f"{BASE}/organisations", payload, content_type=JSON)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["website"] == ["Enter a valid URL."]
    assert not Organisation.objects.filter(name="Acme").exists()


def test_others_cannot_create(excom_user, focal_point):
    user, _ = focal_point
    for someone in (excom_user, user):
        response = _client(someone).post(f"{BASE}/organisations", NEW, content_type=JSON)
        assert response.status_code == 403
        assert response.json() == {
            "detail": f"Permission 'members.add_organisation' is not granted to {someone.username}."
        }
    assert not Organisation.objects.filter(name="Bishkek").exists()


def test_writes_need_the_csrf_token(staff_user):
    client = _client(staff_user, enforce_csrf_checks=True)
    response = client.post(f"{BASE}/organisations", NEW, content_type=JSON)
    assert response.status_code == 403
    assert not Organisation.objects.filter(name="Bishkek").exists()
    client.get("/accounts/login/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        f"{BASE}/organisations", NEW, content_type=JSON, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 201


# --- update -------------------------------------------------------------------------------


def test_focal_point_updates_its_own_website(focal_point):
    user, org = focal_point
    url = f"{BASE}/organisations/{org.slug}"
    response = _client(user).patch(url, {"website": "https://focal.example.org"}, content_type=JSON)
    assert response.status_code == 200
    assert response.json()["website"] == "https://focal.example.org"
    org.refresh_from_db()
    assert org.website == "https://focal.example.org"
    record = AuditRecord.objects.get(action="organisation.update")
    assert (record.before, record.after) == (
        {"website": ""},
        {"website": "https://focal.example.org"},
    )


def test_focal_point_cannot_update_another_member(focal_point):
    user, _ = focal_point
    other = OrganisationFactory(name="Other City")
    url = f"{BASE}/organisations/{other.slug}"
    response = _client(user).patch(url, {"website": "https://x.example.org"}, content_type=JSON)
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.website == ""


def test_focal_point_cannot_change_the_population_of_its_own(focal_point):
    user, org = focal_point
    url = f"{BASE}/organisations/{org.slug}"
    response = _client(user).patch(url, {"population": 5}, content_type=JSON)
    assert response.status_code == 403
    assert response.json() == {"detail": "A focal point may not change: population"}
    org.refresh_from_db()
    assert org.population is None
    assert AuditRecord.objects.count() == 0


def test_staff_updates_any_field_and_only_sent_fields(staff_user):
    org = OrganisationFactory(name="Seoul", city="Seoul", population=9)
    url = f"{BASE}/organisations/{org.slug}"
    response = _client(staff_user).patch(url, {"population": 10}, content_type=JSON)
    assert response.status_code == 200
    org.refresh_from_db()
    assert (org.population, org.city) == (10, "Seoul")
    assert _client(staff_user).patch(f"{BASE}/organisations/nowhere", {}).status_code == 404


# --- lifecycle, participation, contacts -----------------------------------------------------


def test_lifecycle_is_public_and_recorded_by_the_secretariat(client, staff_user, focal_point):
    org = OrganisationFactory(name="Seoul")
    url = f"{BASE}/organisations/{org.slug}/lifecycle"
    event = {"kind": "approved", "date": "2010-09-01", "decision_ref": "GA 2010"}
    user, _ = focal_point
    assert _client(user).post(url, event, content_type=JSON).status_code == 403
    response = _client(staff_user).post(url, event, content_type=JSON)
    assert response.status_code == 201
    assert response.json()["kind"] == "approved"
    assert client.get(url).json() == [
        {
            "kind": "approved",
            "date": "2010-09-01",
            "date_precision": "day",
            "reason": "",
            "decision_ref": "GA 2010",
            "letter": "",
        }
    ]
    assert client.get(f"{BASE}/organisations/{org.slug}").json()["state"] == "member"


def test_lifecycle_refusals_name_the_field(staff_user):
    org = OrganisationFactory(name="Seoul")
    url = f"{BASE}/organisations/{org.slug}/lifecycle"
    client = _client(staff_user)
    bad_kind = client.post(url, {"kind": "elected", "date": "2020-01-01"}, content_type=JSON)
    assert bad_kind.status_code == 422
    assert bad_kind.json()["errors"] == {"kind": ["Unknown lifecycle event 'elected'."]}
    not_allowed = client.post(url, {"kind": "reinstated", "date": "2020-01-01"}, content_type=JSON)
    assert not_allowed.status_code == 422
    assert list(not_allowed.json()["errors"]) == ["kind"]
    assert LifecycleEvent.objects.count() == 0


def test_participations_are_for_the_secretariat(staff_user, focal_point):
    user, org = focal_point
    ParticipationFactory(organisation=org, activity="Workshop", date=dt.date(2022, 5, 1))
    url = f"{BASE}/organisations/{org.slug}/participations"
    assert _client(user).get(url).status_code == 403
    payload = {"date": "2023-09-26", "activity": "6th General Assembly", "kind": "meeting"}
    assert _client(user).post(url, payload, content_type=JSON).status_code == 403
    staff = _client(staff_user)
    response = staff.post(url, payload, content_type=JSON)
    assert response.status_code == 201
    assert [p["activity"] for p in staff.get(url).json()] == ["6th General Assembly", "Workshop"]
    assert Participation.objects.count() == 2


def test_a_participation_of_an_unknown_kind_is_refused_naming_the_kind(staff_user):
    # The fuzzer's case: a kind longer than its column reached PostgreSQL (a 500) because
    # the row was checked only after it was written.
    org = OrganisationFactory()
    url = f"{BASE}/organisations/{org.slug}/participations"
    payload = {"date": "2023-09-26", "activity": "categories", "kind": "quorum_present"}
    response = _client(staff_user).post(url, payload, content_type=JSON)
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["kind"]
    assert (Participation.objects.count(), AuditRecord.objects.count()) == (0, 0)


def test_contacts_for_the_secretariat_or_the_own_focal_point(client, staff_user, focal_point):
    user, org = focal_point
    other = OrganisationFactory(name="Other City")
    ContactFactory(organisation=other, name="Mayor Kim", position="Mayor")
    own = f"{BASE}/organisations/{org.slug}/contacts"
    theirs = f"{BASE}/organisations/{other.slug}/contacts"
    assert [c["name"] for c in _client(user).get(own).json()] == ["Focal Person"]
    assert _client(user).get(theirs).status_code == 403
    assert [c["name"] for c in _client(staff_user).get(theirs).json()] == ["Mayor Kim"]


# --- import and export ----------------------------------------------------------------------


CSV = b"name,category,country\nSeoul,local_government,KR\nBishkek,local_government,KG\n"


def _upload(client, data: bytes, name="members.csv", **form):
    return client.post(f"{BASE}/import", {"file": SimpleUploadedFile(name, data), **form})


def test_import_via_api(staff_user, focal_point):
    user, _ = focal_point
    assert _upload(_client(user), CSV).status_code == 403
    assert _upload(Client(), CSV).status_code == 401
    staff = _client(staff_user)
    preview = _upload(staff, CSV, dry_run="true")
    assert preview.status_code == 200
    assert (preview.json()["created"], preview.json()["dry_run"]) == (2, True)
    assert Organisation.objects.count() == 1  # the focal point's own member
    response = _upload(staff, CSV)
    assert response.status_code == 200
    assert response.json()["created"] == 2
    assert Organisation.objects.count() == 3


def test_import_errors_are_422_and_write_nothing(staff_user):
    bad = b"name,category,country\nSeoul,local_government,Narnia\n"
    response = _upload(_client(staff_user), bad)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        "row 2: country: unknown country 'Narnia' (use an ISO 3166 code such as KR or KOR,"
        " or an English name)"
    ]
    assert Organisation.objects.count() == 0


def test_export_via_api(client, staff_user):
    OrganisationFactory(name="Seoul", country="KR")
    OrganisationFactory(name="Acme", category="corporation", country="US")
    assert client.get(f"{BASE}/export").status_code == 401
    response = _client(staff_user).get(
        f"{BASE}/export", {"format": "csv", "category": "corporation", "as_of": "2023-09-26"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="organisations-2023-09-26.csv"'
    lines = response.content.decode().splitlines()
    assert [line.split(",")[0] for line in lines] == ["name", "Acme"]
    xlsx = _client(staff_user).get(f"{BASE}/export", {"format": "xlsx"})
    assert xlsx.status_code == 200
    assert xlsx.content[:2] == b"PK"
