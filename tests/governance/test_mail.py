"""The Assembly's mail through a real SMTP server on loopback: the convocation with its
agenda, local time, registration link and calendar entry; the call for candidates; the
minutes published (an announcement, which respects an opt-out)."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from django.db import transaction

from tests.factories.events import EventFactory, SessionFactory
from tests.factories.governance import AgendaItemFactory, MeetingFactory, QuorumRuleFactory
from tests.factories.members import ContactFactory, member_since
from tests.messaging.conftest import smtp_server  # noqa: F401  (the fixture)
from urbis.governance import domain
from urbis.governance.models import MeetingStatus
from urbis.messaging.domain import optout_set, outbox_send
from urbis.messaging.models import Message

pytestmark = pytest.mark.django_db

CONVOKED = dt.date(2031, 3, 1)


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.URBIS_BASE_URL = "https://urbis.example"


@pytest.fixture
def registry():
    """Two members and a suspended member with focal points; a member that joined after the
    convocation date and a non-focal contact, who are not convened."""
    QuorumRuleFactory()
    orgs = {}
    for name in ("Avalon", "Brightport"):
        orgs[name] = member_since(dt.date(2020, 1, 1), name=name)
    dormant = member_since(dt.date(2020, 1, 1), name="Dormant")
    dormant.lifecycle_events.create(kind="suspended", date=dt.date(2030, 6, 1))
    late = member_since(dt.date(2031, 3, 10), name="Latecomer")
    ContactFactory(
        organisation=orgs["Avalon"],
        name="Ana Focal",
        email="ana@avalon.example",
        is_focal_point=True,
    )
    ContactFactory(organisation=orgs["Avalon"], name="Avi Other", email="avi@avalon.example")
    ContactFactory(
        organisation=orgs["Brightport"],
        name="Ben Focal",
        email="BEN@brightport.example",
        is_focal_point=True,
    )
    ContactFactory(
        organisation=dormant, name="Dana Focal", email="dana@dormant.example", is_focal_point=True
    )
    ContactFactory(
        organisation=late, name="Lee Focal", email="lee@late.example", is_focal_point=True
    )
    return orgs


@pytest.fixture
def meeting():
    event = EventFactory(
        slug="ga-2031",
        name="Urban Summit 2031",
        starts_on=dt.date(2031, 4, 14),
        ends_on=dt.date(2031, 4, 16),
        time_zone="Europe/Lisbon",
    )
    session = SessionFactory(event=event, title="General Assembly")
    m = MeetingFactory(
        slug="ga-12",
        title="12th General Assembly",
        date=dt.date(2031, 4, 15),
        convocation_date=CONVOKED,
        time_zone="Europe/Lisbon",
        time_zone_label="WEST",
        start_time=dt.time(14, 0),
        end_time=dt.time(17, 30),
        venue="Lisbon Congress Centre",
        session=session,
    )
    AgendaItemFactory(meeting=m, number=1, title="Opening", kind="report")
    AgendaItemFactory(
        meeting=m, number=2, title="Election of the President", kind="election", article="11(4)"
    )
    return m


def _convene(meeting, staff):
    return domain.meeting_convene(
        actor=staff,
        meeting=meeting,
        convocation_date=CONVOKED,
        notice="The Assembly meets in Lisbon.",
    )


def test_convocation_reaches_every_focal_point_with_agenda_time_link_and_ics(
    registry,
    meeting,
    staff_user,
    smtp_server,  # noqa: F811
):
    _convene(meeting, staff_user)
    convocations = Message.objects.filter(kind="governance.convocation").order_by("to_address")
    assert [(m.to_address, m.statutory, m.reference) for m in convocations] == [
        ("ana@avalon.example", True, f"meeting:{meeting.pk}"),
        ("ben@brightport.example", True, f"meeting:{meeting.pk}"),
        ("dana@dormant.example", True, f"meeting:{meeting.pk}"),
    ]
    assert Message.objects.filter(kind="governance.call_for_candidates").count() == 3

    outcome = outbox_send()
    assert outcome.sent == 6
    (received,) = [
        r
        for r in smtp_server.to("ana@avalon.example")
        if r.message["Subject"].startswith("Convocation")
    ]
    mail = received.message
    assert mail["Subject"] == "Convocation: 12th General Assembly, 15 April 2031"
    assert mail["To"] == "Ana Focal <ana@avalon.example>"
    assert "List-Unsubscribe" not in mail
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert "Avalon is convened to the 12th General Assembly." in text
    assert "Time: 14:00\u201317:30 WEST (local time of the meeting)" in text
    assert "1. Opening\n2. Election of the President (Art. 11(4))\n" in text
    assert "Register your delegation: https://urbis.example/events/ga-2031/register/" in text
    html = mail.get_body(preferencelist=("html",)).get_content()
    assert '<a href="https://urbis.example/events/ga-2031/register/">' in html
    (ics,) = [p for p in mail.iter_attachments()]
    assert (ics.get_filename(), ics.get_content_type()) == ("ga-12.ics", "text/calendar")
    cal = icalendar.Calendar.from_ical(ics.get_content())
    (entry,) = cal.walk("VEVENT")
    start = entry.decoded("dtstart")
    assert (start.isoformat(), str(start.tzinfo)) == ("2031-04-15T14:00:00+01:00", "Europe/Lisbon")
    assert entry.decoded("dtend").isoformat() == "2031-04-15T17:30:00+01:00"
    assert str(entry["location"]) == "Lisbon Congress Centre"
    assert str(entry["uid"]) == f"meeting-{meeting.pk}@ga-12.urbis"

    (call,) = [
        r.message
        for r in smtp_server.to("ben@brightport.example")
        if r.message["Subject"].startswith("Call")
    ]
    assert call["Subject"] == "Call for candidates and bids: 12th General Assembly"
    assert (
        "- 2. Election of the President (election, Art. 11(4))"
        in call.get_body(preferencelist=("plain",)).get_content()
    )
    assert smtp_server.to("lee@late.example") == []
    assert smtp_server.to("avi@avalon.example") == []


def test_a_refused_convocation_queues_nothing(registry, meeting, staff_user):
    with pytest.raises(RuntimeError), transaction.atomic():
        _convene(meeting, staff_user)
        assert Message.objects.count() == 6
        raise RuntimeError("the convocation is rolled back")
    assert Message.objects.count() == 0
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.DRAFT


def test_an_invalid_convocation_queues_nothing(registry, meeting, staff_user):
    with pytest.raises(Exception, match="notice"):
        domain.meeting_convene(
            actor=staff_user, meeting=meeting, convocation_date=CONVOKED, notice=" "
        )
    assert Message.objects.count() == 0


def test_opting_out_does_not_stop_the_convocation_but_stops_the_minutes_notice(
    registry,
    meeting,
    staff_user,
    smtp_server,  # noqa: F811
):
    optout_set(address="ben@brightport.example", actor=None)
    _convene(meeting, staff_user)
    assert set(
        Message.objects.filter(to_address="ben@brightport.example").values_list("state", flat=True)
    ) == {"queued"}
    meeting.status = MeetingStatus.MINUTES_APPROVED
    meeting.minutes_approved_on = dt.date(2031, 10, 1)
    meeting.save()
    domain.minutes_publish(actor=staff_user, meeting=meeting)
    notices = Message.objects.filter(kind="governance.minutes_published").order_by("to_address")
    assert [(m.to_address, m.state, m.statutory) for m in notices] == [
        ("ana@avalon.example", "queued", False),
        ("ben@brightport.example", "suppressed", False),
        ("dana@dormant.example", "queued", False),
    ]
    outbox_send()
    (minutes,) = [
        r.message
        for r in smtp_server.to("ana@avalon.example")
        if r.message["Subject"].startswith("Minutes")
    ]
    assert minutes["Subject"] == "Minutes published: 12th General Assembly"
    assert "List-Unsubscribe" in minutes
    text = minutes.get_body(preferencelist=("plain",)).get_content()
    assert "approved on 1 October 2031, are published: https://urbis.example/governance/" in text
    assert (
        "To stop announcements like this one: https://urbis.example/messaging/unsubscribe/" in text
    )
    assert sorted(
        r.message["Subject"].split(":")[0] for r in smtp_server.to("ben@brightport.example")
    ) == ["Call for candidates and bids", "Convocation"]
