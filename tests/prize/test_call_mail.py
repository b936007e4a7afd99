"""The call for applications as its own mail: published by staff, it reaches the focal
points of the members in good standing (deadline, how to apply, link), each in their
language, respects an opt-out, and goes once however often it is published."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from tests.factories.members import ContactFactory, member_since
from tests.factories.prize import make_edition
from tests.messaging.conftest import smtp_server  # noqa: F401  (the fixture)
from urbis.common.actor import Actor
from urbis.messaging.domain import optout_set, outbox_send
from urbis.messaging.models import Message
from urbis.prize import domain

pytestmark = pytest.mark.django_db

YEAR = 2031


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.URBIS_BASE_URL = "https://urbis.example"


@pytest.fixture
def edition():
    for name, contact, address, language in (
        ("Avalon", "Ana Focal", "ana@avalon.example", "en"),
        ("Busan", "Kim Min-ji", "minji@busan.example", "ko"),
        ("Quietville", "Quinn Focal", "quinn@quiet.example", "en"),
    ):
        org = member_since(dt.date(2020, 1, 1), name=name)
        ContactFactory(
            organisation=org, name=contact, email=address, is_focal_point=True, language=language
        )
    dormant = member_since(dt.date(2020, 1, 1), name="Dormant")
    dormant.lifecycle_events.create(kind="suspended", date=dt.date(2025, 6, 1))
    ContactFactory(
        organisation=dormant, name="Dana Focal", email="dana@dormant.example", is_focal_point=True
    )
    return make_edition(
        YEAR,
        name="Smart City Prize 2031",
        call_opens=dt.date(YEAR, 2, 1),
        call_closes=dt.date(YEAR, 4, 30),
    )


def _plain(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def test_the_call_reaches_members_in_good_standing_once_in_their_language(
    edition,
    staff_user,
    smtp_server,  # noqa: F811
):
    optout_set(address="quinn@quiet.example", actor=None)
    ed, queued = domain.call_publish(actor=Actor.for_user(staff_user), edition=edition)
    assert queued == 3
    assert ed.call_published_at is not None
    rows = Message.objects.filter(kind="prize.call_for_applications").order_by("to_address")
    assert [(m.to_address, m.state, m.statutory, m.reference) for m in rows] == [
        ("ana@avalon.example", "queued", False, "edition:2031:call"),
        ("minji@busan.example", "queued", False, "edition:2031:call"),
        ("quinn@quiet.example", "suppressed", False, "edition:2031:call"),
    ]

    again, queued_again = domain.call_publish(actor=Actor.for_user(staff_user), edition=edition)
    assert queued_again == 0
    assert again.call_published_at == ed.call_published_at
    assert Message.objects.filter(kind="prize.call_for_applications").count() == 3

    assert outbox_send().sent == 2
    (english,) = [r.message for r in smtp_server.to("ana@avalon.example")]
    assert str(english["Subject"]).strip() == (
        "Call for applications: Smart City Prize 2031, until 30 April 2031"
    )
    assert "List-Unsubscribe" in english
    text = _plain(english)
    assert (
        "The call for applications of Smart City Prize 2031 is open from 1 February 2031 to "
        "30 April 2031, and Avalon is invited to apply." in text
    )
    assert "Categories:\n- Tech-InnovaCity\n- Human-CentriCity\n- Leadership\n" in text
    assert "How to apply: sign in to urbis and open the application form;" in text
    assert "Deadline: 30 April 2031.\n" in text
    assert "The application form: https://urbis.example/prize/2031/apply/" in text
    assert "To stop announcements like this one: https://urbis.example/messaging/unsubscribe/" in (
        text
    )
    (korean,) = [r.message for r in smtp_server.to("minji@busan.example")]
    assert str(korean["Subject"]).strip() == "신청 공고: Smart City Prize 2031, 2031년 4월 30일까지"
    assert "마감: 2031년 4월 30일." in _plain(korean)
    assert smtp_server.to("dana@dormant.example") == []
    assert smtp_server.to("quinn@quiet.example") == []


def test_only_staff_publish_and_never_after_the_deadline(edition, focal_point, staff_user):
    user, _org = focal_point
    client = Client()
    client.force_login(user)
    assert client.post(f"/api/v1/prize/editions/{YEAR}/call/publish").status_code == 403
    assert client.post(f"/prize/{YEAR}/manage/", {"action": "publish_call"}).status_code == 403
    with pytest.raises(PermissionDenied):
        Actor.for_user(user).require("prize.manage_edition")
    edition.call_opens, edition.call_closes = dt.date(2020, 1, 1), dt.date(2020, 3, 1)
    edition.save()
    with pytest.raises(ValidationError) as error:
        domain.call_publish(actor=Actor.for_user(staff_user), edition=edition)
    assert error.value.message_dict == {
        "edition": ["The call closed on 2020-03-01: too late to open it."]
    }
    assert Message.objects.count() == 0


def test_staff_publish_from_the_edition_page_and_the_api(edition, staff_user):
    client = Client()
    client.force_login(staff_user)
    page = client.get(f"/prize/{YEAR}/manage/")
    assert "Publish the call for applications" in page.content.decode()
    response = client.post(f"/prize/{YEAR}/manage/", {"action": "publish_call"})
    assert response.status_code == 302
    assert Message.objects.filter(kind="prize.call_for_applications").count() == 3
    api = client.post(f"/api/v1/prize/editions/{YEAR}/call/publish")
    assert api.status_code == 200
    body = api.json()
    assert (body["year"], body["queued"]) == (YEAR, 0)
    assert body["call_published_at"]
    assert (
        "Publish the call for applications"
        not in client.get(f"/prize/{YEAR}/manage/").content.decode()
    )


def test_the_api_refuses_others(edition, focal_point):
    user, _org = focal_point
    client = Client()
    client.force_login(user)
    response = client.post(f"/api/v1/prize/editions/{YEAR}/call/publish")
    assert response.status_code == 403
    assert json.dumps(response.json())
