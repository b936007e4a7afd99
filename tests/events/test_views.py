import datetime as dt
import io

import icalendar
import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories.events import (
    EventFactory,
    RegistrationFactory,
    SessionFactory,
    SponsorFactory,
    seoul,
)
from tests.factories.members import OrganisationFactory
from urbis.common.pdf import pdf_text
from urbis.events.models import CheckIn, PickupPlace, Registration, SessionKind, SessionPerson

pytestmark = pytest.mark.django_db
DAY1 = dt.date(2023, 9, 25)


@pytest.fixture
def event():
    ev = EventFactory(slug="ga-test", name="6th General Assembly")
    meeting = SessionFactory(
        event=ev,
        title="Meeting points",
        kind=SessionKind.MEETING_POINT,
        starts_at=seoul(DAY1, 9, 30),
        ends_at=seoul(DAY1, 11),
        venue=None,
    )
    PickupPlace.objects.create(session=meeting, name="JW Marriott", order=0)
    PickupPlace.objects.create(session=meeting, name="Novotel Ambassador", order=1)
    side = SessionFactory(
        event=ev,
        day=dt.date(2023, 9, 26),
        title="Smart City Index",
        kind=SessionKind.SIDE_SESSION,
        starts_at=seoul(dt.date(2023, 9, 26), 16, 35),
        ends_at=seoul(dt.date(2023, 9, 26), 17),
        room="Conference Room, 3rd floor",
    )
    SessionPerson.objects.create(session=side, role="moderator", name="Jae Moon")
    SessionFactory(
        event=ev, title="City Tour Bus", kind=SessionKind.TOUR, capacity=40, requires_signup=True
    )
    SessionFactory(
        event=ev,
        day=dt.date(2023, 9, 26),
        title="Exhibition Center",
        kind=SessionKind.EXHIBITION,
        starts_at=None,
        ends_at=None,
        time_note="Flexible",
    )
    SponsorFactory(event=ev, name="MiraeN", description="An educational publisher.")
    return ev


def test_public_programme_page_shows_local_times_and_details(client, event):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("events:programme", args=["ga-test"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Day 1 — Monday 25 September 2023" in html
    assert "09:30 \u2013 11:00" in html  # KST, not UTC
    assert "16:35 \u2013 17:00" in html
    assert "Novotel Ambassador" in html and "Jae Moon" in html and "MiraeN" in html
    assert "Flexible" in html
    assert len(ctx.captured_queries) <= 8


def test_programme_pdf_has_the_sessions(client, event):
    response = client.get(reverse("events:programme_pdf", args=["ga-test"]))
    text = pdf_text(response.content)
    assert response["Content-Type"] == "application/pdf"
    assert "City Tour Bus" in text and "Smart City Index" in text and "09:30" in text


def test_ical_feed_is_valid_and_in_the_event_time_zone(client, event):
    response = client.get(reverse("events:programme_ics", args=["ga-test"]))
    assert response["Content-Type"] == "text/calendar"
    cal = icalendar.Calendar.from_ical(response.content)
    assert cal["VERSION"] == "2.0"
    assert cal["PRODID"] == "-//urbis//events//EN"
    [tz] = cal.walk("VTIMEZONE")
    assert tz["TZID"] == "Asia/Seoul"
    events = {e["SUMMARY"]: e for e in cal.walk("VEVENT")}
    assert sorted(events) == [
        "City Tour Bus",
        "Exhibition Center",
        "Meeting points",
        "Smart City Index",
    ]
    side = events["Smart City Index"]
    assert side.decoded("DTSTART") == seoul(dt.date(2023, 9, 26), 16, 35)
    assert side["DTSTART"].params["TZID"] == "Asia/Seoul"
    assert "Moderator: Jae Moon" in str(side["DESCRIPTION"])
    assert events["Exhibition Center"].decoded("DTSTART") == dt.date(2023, 9, 26)
    assert len({str(e["UID"]) for e in cal.walk("VEVENT")}) == 4
    for component in cal.walk("VEVENT"):
        assert "DTSTAMP" in component


def test_register_form_shows_per_field_errors(client, staff_user, event):
    client.force_login(staff_user)
    org = OrganisationFactory(name="Seoul")
    RegistrationFactory(event=event, organisation=org, person_name="Se-hoon Oh")
    response = client.post(
        reverse("events:register", args=["ga-test"]),
        {
            "organisation": org.pk,
            "person_name": "SE-HOON OH",
            "email": "not-an-email",
            "attendance": "on_site",
            "airport_transfer": "none",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {"email": ["Enter a valid email address."]}
    response = client.post(
        reverse("events:register", args=["ga-test"]),
        {
            "organisation": org.pk,
            "person_name": "SE-HOON OH",
            "attendance": "on_site",
            "airport_transfer": "none",
        },
    )
    form = response.context["form"]
    assert form.errors == {
        "person_name": [
            "Se-hoon Oh of Seoul is already registered for 6th General Assembly (approved)."
        ]
    }
    assert "already registered" in response.content.decode()


def test_register_then_badge_and_checkin_through_pages(client, staff_user, event):
    client.force_login(staff_user)
    org = OrganisationFactory(name="Wellington", country="NZ")
    tour = event.sessions.get(title="City Tour Bus")
    response = client.post(
        reverse("events:register", args=["ga-test"]),
        {
            "organisation": org.pk,
            "person_name": "Tory Whanau",
            "position": "Mayor",
            "attendance": "on_site",
            "mayoral_level": "on",
            "airport_transfer": "both",
            "sessions": [tour.pk],
        },
    )
    reg = Registration.objects.get(person_name="Tory Whanau")
    assert response.status_code == 302
    assert response["Location"] == reverse("events:registration", args=["ga-test", reg.code])
    assert list(reg.signups.values_list("session__title", flat=True)) == ["City Tour Bus"]
    badge = client.get(reverse("events:badge", args=["ga-test", reg.code]))
    assert "Tory Whanau" in pdf_text(badge.content)
    url = reverse("events:checkin", args=["ga-test"])
    for _ in range(2):
        response = client.post(url, {"code": reg.code.lower(), "day": "2023-09-26"})
    assert "Already checked in" in response.content.decode()
    assert CheckIn.objects.filter(registration=reg).count() == 1


def test_checkin_page_reports_unknown_codes(client, staff_user, event):
    client.force_login(staff_user)
    response = client.post(
        reverse("events:checkin", args=["ga-test"]), {"code": "ZZZZ-ZZZZ", "day": "2023-09-25"}
    )
    assert "No badge has the code ZZZZ-ZZZZ." in response.content.decode()


def test_checkin_page_refuses_a_badge_of_another_event(client, staff_user, event):
    """The page's desk admits to its own event only, as the API's does."""
    RegistrationFactory(code="ELSEWHER")  # approved, for another event
    client.force_login(staff_user)
    response = client.post(
        reverse("events:checkin", args=["ga-test"]), {"code": "ELSEWHER", "day": "2023-09-25"}
    )
    assert response.status_code == 200
    assert "This badge belongs to another event." in response.content.decode()
    assert CheckIn.objects.count() == 0


def test_focal_point_sees_and_registers_only_its_own_member(client, focal_point, event):
    user, org = focal_point
    RegistrationFactory(event=event, organisation=org, person_name="Own Delegate")
    RegistrationFactory(event=event, person_name="Someone Else")
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("events:registrations", args=["ga-test"]))
    html = response.content.decode()
    assert "Own Delegate" in html and "Someone Else" not in html
    assert len(ctx.captured_queries) <= 12
    form = client.get(reverse("events:register", args=["ga-test"])).context["form"]
    assert list(form.fields["organisation"].queryset) == [org]
    other = RegistrationFactory(event=event, code="OTHER234")
    assert client.get(reverse("events:badge", args=["ga-test", other.code])).status_code == 403
    assert client.get(reverse("events:checkin", args=["ga-test"])).status_code == 403
    assert (
        client.get(reverse("events:participants_export", args=["ga-test", "csv"])).status_code
        == 403
    )


def test_registrations_list_query_count_does_not_grow(client, staff_user, event):
    client.force_login(staff_user)
    RegistrationFactory.create_batch(3, event=event)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("events:registrations", args=["ga-test"]))
    RegistrationFactory.create_batch(20, event=event)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("events:registrations", args=["ga-test"]))
    assert response.status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_participants_csv_and_xlsx(client, staff_user, event):
    client.force_login(staff_user)
    RegistrationFactory(
        event=event,
        person_name="Tory Whanau",
        position="Mayor",
        organisation=OrganisationFactory(name="Wellington", country="NZ"),
        mayoral_level=True,
        code="WLG23456",
    )
    RegistrationFactory(event=event, status="pending", person_name="Not Yet")
    csv = client.get(
        reverse("events:participants_export", args=["ga-test", "csv"])
    ).content.decode()
    lines = csv.strip().splitlines()
    assert lines[0].startswith("Organisation,Category,Country,Delegate,Position")
    assert lines[1] == (
        "Wellington,Local government,New Zealand,Tory Whanau,Mayor,On-site,yes,no,,,None,"
        "Approved,WLG2-3456,no,no"
    )
    assert len(lines) == 2
    xlsx = client.get(reverse("events:participants_export", args=["ga-test", "xlsx"])).content
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    assert [c.value for c in sheet[2]][:4] == [
        "Wellington",
        "Local government",
        "New Zealand",
        "Tory Whanau",
    ]
    assert (
        client.get(reverse("events:participants_export", args=["ga-test", "pdf"])).status_code
        == 404
    )


def test_statistics_page_states_definitions_and_draws_charts(client, event):
    RegistrationFactory(event=event, organisation=OrganisationFactory(name="Seoul", city="Seoul"))
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("events:statistics", args=["ga-test"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="stat-cities">1<' in html
    assert "A local government (member or not) with at least one approved registration" in html
    # terms, not keys ("Participatingcity" before)
    assert "<dt>Participating city</dt>" in html
    assert "<dt>Mayoral level</dt>" in html
    assert "Participatingcity" not in html
    assert html.count("<svg") == 3
    assert "1 of 1 cities placed" in html
    assert len(ctx.captured_queries) <= 6


def test_signup_from_the_registration_page(client, staff_user, event):
    client.force_login(staff_user)
    reg = RegistrationFactory(event=event, code="SIGNUP23")
    tour = event.sessions.get(title="City Tour Bus")
    page = client.get(reverse("events:registration", args=["ga-test", reg.code]))
    assert list(page.context["open_sessions"]) == [tour]
    response = client.post(
        reverse("events:signup", args=["ga-test", reg.code]), {"session": tour.pk}, follow=True
    )
    assert "is signed up for “City Tour Bus”" in response.content.decode()
    assert list(response.context["open_sessions"]) == []


def test_approve_returns_to_a_local_page_only(client, staff_user, event):
    client.force_login(staff_user)
    reg = RegistrationFactory(event=event, status="pending", code="PEND2345")
    url = reverse("events:approve", args=["ga-test", reg.code])
    response = client.post(url, {"next": "https://elsewhere.example/"})
    assert response["Location"] == reverse("events:registrations", args=["ga-test"])
    reg.refresh_from_db()
    assert reg.status == "approved"
    back = reverse("events:registration", args=["ga-test", reg.code])
    assert client.post(url, {"next": back})["Location"] == back
