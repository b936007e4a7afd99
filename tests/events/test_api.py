import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.events import (
    EventFactory,
    RegistrationFactory,
    SessionFactory,
    SponsorFactory,
)
from tests.factories.members import OrganisationFactory
from urbis.events.models import CheckIn, Registration

pytestmark = pytest.mark.django_db
BASE = "/api/v1/events"


@pytest.fixture
def event():
    ev = EventFactory(slug="ga-test", name="GA 6")
    SessionFactory(event=ev, title="Assembly", is_assembly=True, room="Damokjeok Hall")
    SessionFactory(event=ev, title="Tour", kind="tour", capacity=1, requires_signup=True)
    SponsorFactory(event=ev, name="KOEBA")
    return ev


def test_programme_and_statistics_are_public(client, event):
    RegistrationFactory(event=event, organisation=OrganisationFactory(name="Seoul"))
    body = client.get(f"{BASE}/ga-test/programme").json()
    assert body["event"]["time_zone"] == "Asia/Seoul"
    assert [s["title"] for s in body["days"][0]["sessions"]] == ["Assembly", "Tour"]
    assert body["days"][0]["sessions"][0]["room"] == "Damokjeok Hall"
    assert body["sponsors"] == [
        {"name": "KOEBA", "description": "Supports the assembly.", "website": ""}
    ]
    stats = client.get(f"{BASE}/ga-test/statistics").json()
    assert (stats["cities"], stats["delegates"], stats["mayoral_level"]) == (1, 1, 0)
    assert "participating_city" in stats["definitions"]
    assert "ga-test" in [e["slug"] for e in client.get(f"{BASE}/").json()["items"]]


def test_registration_list_needs_a_session_and_is_scoped(client, event, focal_point, staff_user):
    user, org = focal_point
    RegistrationFactory(event=event, organisation=org, person_name="Own")
    RegistrationFactory(event=event, person_name="Other")
    assert client.get(f"{BASE}/ga-test/registrations").status_code == 401
    client.force_login(user)
    names = [r["person_name"] for r in client.get(f"{BASE}/ga-test/registrations").json()["items"]]
    assert names == ["Own"]
    client.force_login(staff_user)
    RegistrationFactory.create_batch(10, event=event)
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(f"{BASE}/ga-test/registrations").json()
    assert body["count"] == 12
    assert len(ctx.captured_queries) <= 8


def test_focal_point_registers_own_delegate_only(client, event, focal_point):
    user, org = focal_point
    client.force_login(user)
    ok = client.post(
        f"{BASE}/ga-test/registrations",
        {"organisation": org.slug, "person_name": "New Delegate", "attendance": "online"},
        content_type="application/json",
    )
    assert ok.status_code == 201
    assert ok.json()["status"] == "pending"
    other = OrganisationFactory(name="Other City")
    refused = client.post(
        f"{BASE}/ga-test/registrations",
        {"organisation": other.slug, "person_name": "Intruder"},
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert Registration.objects.filter(person_name="Intruder").count() == 0


def test_api_validation_errors_and_capacity(client, event, staff_user):
    client.force_login(staff_user)
    org = OrganisationFactory(name="Seoul")
    tour = event.sessions.get(title="Tour")
    first = client.post(
        f"{BASE}/ga-test/registrations",
        {"organisation": org.slug, "person_name": "A", "sessions": [tour.pk]},
        content_type="application/json",
    )
    assert first.status_code == 201 and first.json()["sessions"] == [tour.pk]
    second = client.post(
        f"{BASE}/ga-test/registrations",
        {"organisation": org.slug, "person_name": "B", "sessions": [tour.pk]},
        content_type="application/json",
    )
    assert second.status_code == 422
    assert second.json()["errors"] == {"sessions": ["“Tour” is full: 1 of 1 places taken."]}
    dup = client.post(
        f"{BASE}/ga-test/registrations",
        {"organisation": org.slug, "person_name": "a"},
        content_type="application/json",
    )
    assert dup.json()["errors"] == {
        "person_name": ["A of Seoul is already registered for GA 6 (approved)."]
    }


def test_checkin_endpoint_is_idempotent_and_staff_only(client, event, staff_user, focal_point):
    reg = RegistrationFactory(event=event, code="QRCODE23")
    client.force_login(focal_point[0])
    payload = {"code": "URBIS-BADGE:ga-test:QRCODE23", "day": "2023-09-26"}
    assert (
        client.post(
            f"{BASE}/ga-test/checkins", payload, content_type="application/json"
        ).status_code
        == 403
    )
    client.force_login(staff_user)
    first = client.post(f"{BASE}/ga-test/checkins", payload, content_type="application/json")
    again = client.post(f"{BASE}/ga-test/checkins", payload, content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["created"] is False
    assert CheckIn.objects.filter(registration=reg).count() == 1
    register = client.get(f"{BASE}/ga-test/attendance?on=2023-09-26").json()
    assert register == [
        {
            "organisation": reg.organisation.name,
            "mode": "on_site",
            "mayoral_level": False,
            "delegates": 1,
        }
    ]


def test_checkin_refuses_a_badge_of_another_event(client, event, staff_user):
    RegistrationFactory(code="ELSEWHERE")
    client.force_login(staff_user)
    response = client.post(
        f"{BASE}/ga-test/checkins", {"code": "ELSEWHERE"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert CheckIn.objects.count() == 0


def test_signup_endpoint_respects_capacity(client, event, staff_user):
    client.force_login(staff_user)
    tour = event.sessions.get(title="Tour")
    a = RegistrationFactory(event=event, code="AAAA2345")
    RegistrationFactory(event=event, code="BBBB2345")
    url = "/api/v1/events/ga-test/registrations/{}/signups"
    first = client.post(
        url.format("AAAA2345"), {"session": tour.pk}, content_type="application/json"
    )
    assert first.status_code == 201 and first.json()["sessions"] == [tour.pk]
    full = client.post(
        url.format("BBBB2345"), {"session": tour.pk}, content_type="application/json"
    )
    assert full.status_code == 422
    assert full.json()["errors"] == {"sessions": ["“Tour” is full: 1 of 1 places taken."]}
    assert list(a.signups.values_list("session", flat=True)) == [tour.pk]
