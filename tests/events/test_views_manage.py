"""Staff pages that prepare an event: forms with field errors, times in the event's zone,
confirmation before deletes, refusals, and query-count guards on the lists."""

import datetime as dt

import pytest

from tests.factories.events import (
    EventFactory,
    RegistrationFactory,
    SessionFactory,
    SponsorFactory,
    VenueFactory,
)
from tests.factories.members import OrganisationFactory
from urbis.common.models import AuditRecord
from urbis.events.models import Event, Session, Sponsor, Venue

pytestmark = pytest.mark.django_db

EVENT_FORM = {
    "name": "7th General Assembly",
    "slug": "ga-7",
    "starts_on": "2026-09-22",
    "ends_on": "2026-09-23",
    "time_zone": "Asia/Almaty",
    "city": "Almaty",
    "country": "KZ",
    "official_language": "English",
    "is_public": "on",
    "registration_open": "on",
    "registration_opens_at": "2026-06-01T09:00",
    "registration_closes_at": "2026-09-10T18:00",
}


@pytest.fixture
def staff(client, staff_user):
    client.force_login(staff_user)
    return client


def test_staff_create_an_event_and_a_session_in_local_time(staff):
    r = staff.post("/events/manage/new/", EVENT_FORM)
    assert r.status_code == 302
    assert r["Location"] == "/events/ga-7/manage/"
    event = Event.objects.get(slug="ga-7")
    assert event.registration_opens_at == dt.datetime(2026, 6, 1, 4, 0, tzinfo=dt.UTC)
    assert event.registration_closes_at == dt.datetime(2026, 9, 10, 13, 0, tzinfo=dt.UTC)
    venue = VenueFactory(name="Palace of the Republic")
    r = staff.post(
        "/events/ga-7/sessions/new/",
        {
            "title": "General Assembly",
            "kind": "session",
            "day": "2026-09-23",
            "start_time": "15:00",
            "end_time": "17:00",
            "venue": venue.pk,
            "people": "moderator | Aida Nurlanovna | Secretary General\nspeaker | Yerlan Q",
            "pickup_places": "",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    session = Session.objects.get(event=event)
    assert session.starts_at == dt.datetime(2026, 9, 23, 10, 0, tzinfo=dt.UTC)
    assert [(p.role, p.name, p.position) for p in session.people.all()] == [
        ("moderator", "Aida Nurlanovna", "Secretary General"),
        ("speaker", "Yerlan Q", ""),
    ]
    page = staff.get("/events/ga-7/manage/").content.decode()
    assert "15:00 \u2013 17:00" in page
    assert "Opens 1 June 2026 09:00" in page
    assert "Closes 10 September 2026 18:00" in page
    # The edit form shows the local times back.
    edit = staff.get(f"/events/ga-7/sessions/{session.pk}/edit/").content.decode()
    assert 'value="15:00"' in edit
    assert "moderator | Aida Nurlanovna | Secretary General" in edit
    # The event form shows the window in the event's zone.
    assert 'value="2026-06-01T09:00"' in staff.get("/events/ga-7/edit/").content.decode()


def test_form_errors_are_shown_on_their_fields(staff):
    EventFactory(slug="ga-7", starts_on=dt.date(2026, 9, 22), ends_on=dt.date(2026, 9, 23))
    r = staff.post("/events/manage/new/", {**EVENT_FORM, "ends_on": "2026-09-01"})
    assert r.status_code == 200
    form = r.context["form"]
    assert form.errors == {
        "slug": ["Another event already has the slug “ga-7”."],
        "ends_on": ["The event ends before it starts."],
    }
    r = staff.post(
        "/events/ga-7/sessions/new/",
        {
            "title": "Tour",
            "kind": "tour",
            "day": "2026-09-22",
            "start_time": "10:00",
            "end_time": "09:00",
            "people": "dancer | Someone",
        },
    )
    assert r.context["form"].errors == {
        "end_time": ["The session ends before it starts."],
        "people": ["Person 1: “dancer” is not a role of a session."],
    }
    r = staff.post(
        "/events/ga-7/sessions/new/", {"title": "Tour", "kind": "tour", "day": "not-a-day"}
    )
    assert list(r.context["form"].errors) == ["day"]
    assert not Session.objects.exists()


def test_deletes_are_confirmed_then_refused_or_done(staff):
    event = EventFactory(slug="ga-7", name="7th General Assembly")
    session = SessionFactory(event=event, title="Opening")
    sponsor = SponsorFactory(event=event, name="Kazakh Telecom")
    confirm = staff.get("/events/ga-7/delete/")
    assert confirm.status_code == 200
    assert "Yes, delete" in confirm.content.decode()
    assert Event.objects.filter(pk=event.pk).exists()  # a GET deletes nothing

    RegistrationFactory(event=event)
    r = staff.post("/events/ga-7/delete/", follow=True)
    assert "it is kept for the record" in r.content.decode()
    assert Event.objects.filter(pk=event.pk).exists()

    assert staff.post(f"/events/ga-7/sessions/{session.pk}/delete/").status_code == 302
    assert staff.post(f"/events/ga-7/sponsors/{sponsor.pk}/delete/").status_code == 302
    assert not Session.objects.filter(pk=session.pk).exists()
    assert not Sponsor.objects.exists()
    assert AuditRecord.objects.filter(action="session.delete").count() == 1
    assert staff.get(f"/events/ga-7/sessions/{2**70}/edit/").status_code == 404


def test_venue_pages(staff):
    r = staff.post("/events/venues/new/", {"name": "  Palace  of the Republic ", "city": "Almaty"})
    assert r.status_code == 302
    venue = Venue.objects.get()
    assert venue.name == "Palace of the Republic"
    SessionFactory(venue=venue)
    r = staff.post(f"/events/venues/{venue.pk}/delete/", follow=True)
    assert "is the venue of 1 session(s); move them first." in r.content.decode()
    r = staff.post(f"/events/venues/{venue.pk}/edit/", {"name": "", "city": "Almaty"})
    assert r.context["form"].errors == {"name": ["This field is required."]}


def test_only_the_secretariat(client, focal_point):
    EventFactory(slug="ga-7")
    client.force_login(focal_point[0])
    for url in ("/events/manage/", "/events/ga-7/manage/", "/events/venues/new/"):
        assert client.get(url).status_code == 403
    assert client.post("/events/manage/new/", EVENT_FORM).status_code == 403
    assert not Event.objects.filter(name="7th General Assembly").exists()


def test_the_navigation_leads_to_the_workspace(staff):
    EventFactory(slug="ga-7", name="7th General Assembly")
    home = staff.get("/").content.decode()
    assert 'href="/events/manage/"' in home
    assert 'href="/events/ga-7/manage/"' in staff.get("/events/manage/").content.decode()


def test_list_pages_query_counts(staff, django_assert_max_num_queries):
    event = EventFactory(slug="ga-7", starts_on=dt.date(2026, 9, 22), ends_on=dt.date(2026, 9, 24))
    for n in range(15):
        s = SessionFactory(event=event, title=f"Session {n}", capacity=10)
        s.people.create(role="speaker", name=f"Speaker {n}")
        s.pickup_places.create(name=f"Hotel {n}")
        SponsorFactory(event=event)
        EventFactory(host=OrganisationFactory())
    with django_assert_max_num_queries(14):
        assert staff.get("/events/ga-7/manage/").status_code == 200
    with django_assert_max_num_queries(8):
        assert staff.get("/events/manage/").status_code == 200
    with django_assert_max_num_queries(8):
        assert staff.get("/events/venues/").status_code == 200
