"""The programme through the API: events, sessions, sponsors and venues, created, changed and
deleted by the secretariat, with a synthetic later event (the 7th General Assembly, Almaty,
September 2026, Asia/Almaty is UTC+5 all year)."""

import datetime as dt
import json

import pytest

from tests.factories.events import (
    CheckInFactory,
    EventFactory,
    RegistrationFactory,
    SessionFactory,
    VenueFactory,
)
from tests.factories.members import OrganisationFactory
from urbis.common.models import AuditRecord
from urbis.events.models import Event, Session, SessionSignup, Sponsor, Venue

pytestmark = pytest.mark.django_db
BASE = "/api/v1/events"

GA7 = {
    "name": "7th General Assembly",
    "slug": "ga-7",
    "starts_on": "2026-09-22",
    "ends_on": "2026-09-24",
    "time_zone": "Asia/Almaty",
    "theme": "Cities for People",
    "city": "Almaty",
    "country": "kz",
    "official_language": "English",
    "interpretation": "Simultaneous interpretation into Russian and Kazakh",
    "registration_opens_at": "2026-06-01T09:00:00",
    "registration_closes_at": "2026-09-10T18:00:00+05:00",
}


def send(client, method, url, body=None):
    return client.generic(method, url, json.dumps(body or {}), content_type="application/json")


@pytest.fixture
def staff(client, staff_user):
    client.force_login(staff_user)
    return client


def test_staff_create_an_event_with_sessions_in_its_time_zone(staff):
    host = OrganisationFactory(name="Almaty")
    r = send(staff, "POST", f"{BASE}/", {**GA7, "host": host.slug})
    assert r.status_code == 201, r.content
    event = r.json()
    assert event["id"] == Event.objects.get(slug="ga-7").pk
    assert (event["country"], event["host"], event["time_zone"]) == ("KZ", host.slug, "Asia/Almaty")
    # A window without an offset is a wall-clock time of the event's zone.
    assert event["registration_opens_at"] == "2026-06-01T04:00:00Z"
    assert event["registration_closes_at"] == "2026-09-10T13:00:00Z"
    assert event["days"] == ["2026-09-22", "2026-09-23", "2026-09-24"]

    venue = send(
        staff,
        "POST",
        "/api/v1/venues/",
        {"name": "Palace of the Republic", "address": "56 Dostyk Ave", "city": "Almaty"},
    ).json()
    r = send(
        staff,
        "POST",
        f"{BASE}/ga-7/sessions",
        {
            "title": "General Assembly",
            "day": "2026-09-23",
            "start_time": "15:00",
            "end_time": "17:30",
            "venue_id": venue["id"],
            "room": "Main Hall",
            "is_assembly": True,
            "people": [
                {"role": "moderator", "name": "Aida Nurlanovna", "position": "Secretary General"}
            ],
        },
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["start_time"], body["end_time"]) == ("15:00", "17:30")
    assert (body["starts_at"], body["ends_at"]) == ("2026-09-23T10:00:00Z", "2026-09-23T12:30:00Z")
    assert body["people"] == [
        {"role": "moderator", "name": "Aida Nurlanovna", "position": "Secretary General"}
    ]
    stored = Session.objects.get(pk=body["id"])
    assert stored.starts_at == dt.datetime(2026, 9, 23, 10, 0, tzinfo=dt.UTC)

    r = send(
        staff,
        "POST",
        f"{BASE}/ga-7/sessions",
        {
            "title": "Meeting point for the city tour",
            "kind": "meeting_point",
            "day": "2026-09-24",
            "start_time": "08:30",
            "pickup_places": [
                {"name": "Hotel Kazakhstan", "address": "52 Dostyk Ave"},
                {"name": "Rixos Almaty", "address": "506 Seifullin Ave"},
            ],
        },
    )
    assert r.status_code == 201, r.content
    programme = staff.get(f"{BASE}/ga-7/programme").json()
    assert [(d["day"], [s["title"] for s in d["sessions"]]) for d in programme["days"]] == [
        ("2026-09-23", ["General Assembly"]),
        ("2026-09-24", ["Meeting point for the city tour"]),
    ]
    listed = staff.get(f"{BASE}/ga-7/sessions", {"day": "2026-09-24"}).json()
    assert listed["count"] == 1
    assert listed["items"][0]["pickup_places"][1] == {
        "name": "Rixos Almaty",
        "address": "506 Seifullin Ave",
    }
    actions = set(AuditRecord.objects.values_list("action", flat=True))
    assert {"event.create", "venue.create", "session.create"} <= actions


def test_patch_keeps_wall_clock_times_and_a_new_zone_keeps_them_too(staff):
    send(staff, "POST", f"{BASE}/", GA7)
    sid = send(
        staff,
        "POST",
        f"{BASE}/ga-7/sessions",
        {"title": "Opening", "day": "2026-09-22", "start_time": "09:00", "end_time": "10:00"},
    ).json()["id"]
    moved = send(staff, "PATCH", f"{BASE}/ga-7/sessions/{sid}", {"day": "2026-09-23"}).json()
    assert (moved["day"], moved["start_time"], moved["starts_at"]) == (
        "2026-09-23",
        "09:00",
        "2026-09-23T04:00:00Z",
    )
    # The zone was wrong: the sessions keep 09:00 on the wall, at a new instant.
    r = send(staff, "PATCH", f"{BASE}/ga-7", {"time_zone": "Asia/Tashkent"})
    assert r.status_code == 200, r.content
    again = staff.get(f"{BASE}/ga-7/sessions/{sid}").json()
    assert (again["start_time"], again["starts_at"]) == ("09:00", "2026-09-23T04:00:00Z")
    send(staff, "PATCH", f"{BASE}/ga-7", {"time_zone": "Europe/Istanbul"})
    again = staff.get(f"{BASE}/ga-7/sessions/{sid}").json()
    assert (again["start_time"], again["starts_at"]) == ("09:00", "2026-09-23T06:00:00Z")


def test_validation_errors_name_their_fields(staff):
    r = send(
        staff, "POST", f"{BASE}/", {**GA7, "time_zone": "Mars/Olympus", "ends_on": "2026-09-01"}
    )
    assert r.status_code == 422
    assert r.json()["errors"] == {
        "time_zone": ["“Mars/Olympus” is not an IANA time zone name."],
        "ends_on": ["The event ends before it starts."],
    }
    r = send(staff, "POST", f"{BASE}/", {**GA7, "name": "     ", "slug": "manage"})
    assert r.json()["errors"]["name"] == ["Enter the event's name."]
    assert r.json()["errors"]["slug"] == ["“manage” is a word of the event pages; choose another."]
    send(staff, "POST", f"{BASE}/", GA7)
    r = send(staff, "POST", f"{BASE}/", GA7)
    assert r.json()["errors"] == {"slug": ["Another event already has the slug “ga-7”."]}
    r = send(
        staff,
        "POST",
        f"{BASE}/ga-7/sessions",
        {"title": "Late", "day": "2026-09-25", "start_time": "10:00"},
    )
    assert r.json()["errors"] == {
        "day": ["2026-09-25 is not a day of 7th General Assembly (2026-09-22 to 2026-09-24)."]
    }
    r = send(
        staff,
        "POST",
        f"{BASE}/ga-7/sessions",
        {"title": "Backwards", "day": "2026-09-22", "start_time": "10:00", "end_time": "09:00"},
    )
    assert r.json()["errors"] == {"end_time": ["The session ends before it starts."]}
    r = send(
        staff,
        "POST",
        f"{BASE}/ga-7/sessions",
        {"title": "X", "day": "2026-09-22", "venue_id": 2**70, "kind": "party"},
    )
    assert r.json()["errors"] == {"venue_id": ["No venue 1180591620717411303424."]}
    r = send(
        staff, "POST", f"{BASE}/ga-7/sessions", {"title": "X", "day": "2026-09-22", "kind": "party"}
    )
    assert r.json()["errors"] == {"kind": ["Choose a kind of session (got “party”)."]}
    r = send(staff, "PATCH", f"{BASE}/ga-7", {"name": None})
    assert r.json()["errors"] == {"name": ["This field may not be null."]}
    assert staff.get(f"{BASE}/ga-7/sessions/{2**70}").status_code == 404
    assert Session.objects.count() == 0


def test_event_dates_cannot_leave_sessions_behind(staff):
    event = EventFactory(slug="ga-7", starts_on=dt.date(2026, 9, 22), ends_on=dt.date(2026, 9, 24))
    SessionFactory(event=event, day=dt.date(2026, 9, 24))
    r = send(staff, "PATCH", f"{BASE}/ga-7", {"ends_on": "2026-09-23"})
    assert r.status_code == 422
    assert r.json()["errors"] == {
        "starts_on": [
            "1 session(s) fall outside 2026-09-22 to 2026-09-23; move or delete them first."
        ]
    }


def test_deletes_are_refused_while_registrations_or_sign_ups_exist(staff):
    event = EventFactory(slug="ga-7", name="7th General Assembly")
    venue = VenueFactory(name="Palace of the Republic")
    session = SessionFactory(event=event, venue=venue, title="Tour")
    reg = RegistrationFactory(event=event)
    CheckInFactory(registration=reg)
    SessionSignup.objects.create(registration=reg, session=session)

    r = send(staff, "DELETE", f"{BASE}/ga-7")
    assert r.status_code == 409
    assert r.json() == {
        "detail": "7th General Assembly has 1 registration(s) and 1 check-in(s); it is kept "
        "for the record. Unpublish it instead."
    }
    r = send(staff, "DELETE", f"{BASE}/ga-7/sessions/{session.pk}")
    assert (r.status_code, r.json()["detail"]) == (
        409,
        "1 registered delegate(s) signed up for “Tour”; it cannot be deleted.",
    )
    r = send(staff, "DELETE", f"/api/v1/venues/{venue.pk}")
    assert (r.status_code, r.json()["detail"]) == (
        409,
        "Palace of the Republic is the venue of 1 session(s); move them first.",
    )
    assert Event.objects.filter(pk=event.pk).exists()

    empty = EventFactory(slug="ga-8")
    SessionFactory(event=empty)
    assert send(staff, "DELETE", f"{BASE}/ga-8").status_code == 204
    assert not Event.objects.filter(slug="ga-8").exists()
    assert AuditRecord.objects.filter(action="event.delete", target_id=str(empty.pk)).count() == 1


def test_sponsors_crud(staff):
    EventFactory(slug="ga-7")
    org = OrganisationFactory(name="Kazakh Telecom")
    r = send(
        staff,
        "POST",
        f"{BASE}/ga-7/sponsors",
        {"name": "Kazakh Telecom", "organisation": org.slug, "website": "https://telecom.example"},
    )
    assert r.status_code == 201, r.content
    sid = r.json()["id"]
    assert r.json()["organisation"] == org.slug
    bad = send(staff, "PATCH", f"{BASE}/ga-7/sponsors/{sid}", {"website": "not a url"})
    assert bad.json()["errors"] == {"website": ["Enter a valid URL."]}
    ok = send(staff, "PATCH", f"{BASE}/ga-7/sponsors/{sid}", {"order": 2, "organisation": None})
    assert (ok.json()["order"], ok.json()["organisation"]) == (2, None)
    assert staff.get(f"{BASE}/ga-7/sponsors").json()["count"] == 1
    assert send(staff, "DELETE", f"{BASE}/ga-7/sponsors/{sid}").status_code == 204
    assert not Sponsor.objects.exists()


def test_venue_filters_and_update(staff):
    VenueFactory(name="Palace of the Republic", city="Almaty", country="KZ")
    v = VenueFactory(name="Expo Centre", city="Astana", country="KZ")
    body = staff.get("/api/v1/venues/", {"city": "almaty"}).json()
    assert [x["name"] for x in body["items"]] == ["Palace of the Republic"]
    r = send(staff, "PATCH", f"/api/v1/venues/{v.pk}", {"address": "53 Mangilik El Ave"})
    assert r.json()["address"] == "53 Mangilik El Ave"
    r = send(
        staff,
        "PATCH",
        f"/api/v1/venues/{v.pk}",
        {"name": "Palace of the Republic", "address": "110 Sejong-daero, Jung-gu"},
    )
    assert r.status_code == 422
    assert Venue.objects.get(pk=v.pk).name == "Expo Centre"


@pytest.mark.parametrize("who", ["anonymous", "focal point"])
def test_others_may_not_write(client, focal_point, who):
    if who == "focal point":
        client.force_login(focal_point[0])
    event = EventFactory(slug="ga-7")
    session = SessionFactory(event=event)
    expected = 401 if who == "anonymous" else 403
    assert send(client, "POST", f"{BASE}/", GA7 | {"slug": "ga-9"}).status_code == expected
    assert send(client, "PATCH", f"{BASE}/ga-7", {"name": "Hijacked"}).status_code == expected
    assert send(client, "DELETE", f"{BASE}/ga-7/sessions/{session.pk}").status_code == expected
    assert send(client, "POST", "/api/v1/venues/", {"name": "Shed"}).status_code == expected
    assert Event.objects.get(slug="ga-7").name != "Hijacked"
    assert Session.objects.filter(pk=session.pk).exists()


def test_unpublished_events_are_the_secretariats_only(client, staff_user):
    EventFactory(slug="ga-7", is_public=False)
    assert client.get(f"{BASE}/ga-7").status_code == 404
    assert client.get(f"{BASE}/").json()["count"] == 0
    client.force_login(staff_user)
    assert client.get(f"{BASE}/ga-7").json()["is_public"] is False
    assert client.get(f"{BASE}/", {"year": 2026}).json()["count"] == 0
    assert client.get(f"{BASE}/", {"year": 2023}).json()["count"] == 1


def test_list_query_counts_do_not_grow(staff, django_assert_max_num_queries):
    event = EventFactory(slug="ga-7")
    for n in range(12):
        s = SessionFactory(event=event, title=f"Session {n}")
        s.people.create(role="speaker", name=f"Speaker {n}")
        s.pickup_places.create(name=f"Hotel {n}")
        EventFactory(slug=f"event-{n}", host=OrganisationFactory())
        VenueFactory(name=f"Venue {n}")
    with django_assert_max_num_queries(8):
        assert staff.get(f"{BASE}/ga-7/sessions").json()["count"] == 12
    with django_assert_max_num_queries(5):
        assert staff.get(f"{BASE}/").json()["count"] == 13
    with django_assert_max_num_queries(5):
        assert staff.get("/api/v1/venues/").json()["count"] == 24
