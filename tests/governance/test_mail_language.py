"""One convocation, each focal point in their own language: the subject, the plain text and
the HTML part rendered under the recipient's language, dates in its order, received through
a real SMTP server on loopback."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories.events import EventFactory, SessionFactory
from tests.factories.governance import AgendaItemFactory, MeetingFactory, QuorumRuleFactory
from tests.factories.members import ContactFactory, member_since
from tests.messaging.conftest import smtp_server  # noqa: F401  (the fixture)
from urbis.governance import domain
from urbis.messaging.domain import outbox_send

pytestmark = pytest.mark.django_db

CONVOKED = dt.date(2031, 3, 1)


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.URBIS_BASE_URL = "https://urbis.example"


@pytest.fixture
def meeting():
    QuorumRuleFactory()
    for name, contact, address, language in (
        ("Avalon", "Ana Focal", "ana@avalon.example", "en"),
        ("Busan Metropolitan City", "Kim Min-ji", "minji@busan.example", "ko"),
        ("Lyon", "Luc Point", "luc@lyon.example", "fr"),
    ):
        org = member_since(dt.date(2020, 1, 1), name=name)
        ContactFactory(
            organisation=org, name=contact, email=address, is_focal_point=True, language=language
        )
    event = EventFactory(
        slug="ga-2031",
        starts_on=dt.date(2031, 4, 14),
        ends_on=dt.date(2031, 4, 16),
        time_zone="Europe/Lisbon",
    )
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
        session=SessionFactory(event=event, title="General Assembly"),
    )
    AgendaItemFactory(
        meeting=m, number=1, title="Election of the President", kind="election", article="11(4)"
    )
    return m


def _subject(message) -> str:
    """The subject as a mail client shows it (an encoded, folded header starts its value on
    the next line)."""
    return str(message["Subject"]).strip()


def _parts(smtp_server, address):  # noqa: F811
    (received,) = [
        r.message
        for r in smtp_server.to(address)
        if _subject(r.message).startswith(("Convocation", "소집"))
    ]
    return (
        _subject(received),
        received.get_body(preferencelist=("plain",)).get_content(),
        received.get_body(preferencelist=("html",)).get_content(),
    )


def test_one_send_reaches_each_focal_point_in_their_language(
    meeting,
    staff_user,
    smtp_server,  # noqa: F811
):
    domain.meeting_convene(
        actor=staff_user, meeting=meeting, convocation_date=CONVOKED, notice="Lisbon."
    )
    assert outbox_send().sent == 6  # a convocation and a call for candidates each

    subject, text, html = _parts(smtp_server, "minji@busan.example")
    assert subject == "소집 통지: 12th General Assembly, 2031년 4월 15일"
    assert text.startswith("Kim Min-ji 님께,\n")
    assert "Busan Metropolitan City을(를) 12th General Assembly에 소집합니다." in text
    assert "날짜: 2031년 4월 15일 화요일\n" in text
    assert "시간: 14:00\u201317:30 WEST(회의 현지 시간)\n" in text
    assert "1. Election of the President (조항 11(4))\n" in text
    assert "대표단 등록하기: https://urbis.example/events/ga-2031/register/" in text
    assert text.rstrip().endswith("사무국")
    assert '<a href="https://urbis.example/events/ga-2031/register/">대표단 등록하기</a>' in html
    assert '<th align="left">날짜</th><td>2031년 4월 15일 화요일</td>' in html

    subject, text, html = _parts(smtp_server, "ana@avalon.example")
    assert subject == "Convocation: 12th General Assembly, 15 April 2031"
    assert text.startswith("Dear Ana Focal,\n")
    assert "Date: Tuesday 15 April 2031\n" in text
    assert "Time: 14:00\u201317:30 WEST (local time of the meeting)\n" in text
    assert text.rstrip().endswith("The secretariat")
    assert ">Register your delegation</a>" in html

    subject, text, _html = _parts(smtp_server, "luc@lyon.example")
    assert subject == "Convocation : 12th General Assembly, 15 avril 2031"
    assert "Date: mardi 15 avril 2031\n" in text
    assert "Lyon est convoqué à la 12th General Assembly." in text


def test_a_call_for_candidates_in_korean_too(meeting, staff_user, smtp_server):  # noqa: F811
    domain.meeting_convene(
        actor=staff_user, meeting=meeting, convocation_date=CONVOKED, notice="Lisbon."
    )
    outbox_send()
    (call,) = [
        r.message
        for r in smtp_server.to("minji@busan.example")
        if not _subject(r.message).startswith("소집")
    ]
    assert _subject(call) == "후보자 및 유치 신청 공고: 12th General Assembly"
    text = call.get_body(preferencelist=("plain",)).get_content()
    assert (
        "12th General Assembly(2031년 4월 15일)의 의제에 따라 후보자 및 유치 신청을 받습니다:"
        in text
    )
    # The item's kind in Korean too: the call printed the English label ("election").
    assert "- 1. Election of the President (선거, 조항 11(4))" in text
    assert "(election" not in text
