"""Staff pages and API of the outbox, the development mailbox, and the unsubscribe link."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse

from urbis.messaging import domain
from urbis.messaging.domain import Outgoing
from urbis.messaging.domain.sink import received_store
from urbis.messaging.models import Message, OptOut
from urbis.messaging.sink import Received
from urbis.messaging.unsubscribe import unsubscribe_token

pytestmark = pytest.mark.django_db


def _queue(n: int, kind: str = "tests.notice") -> list[Message]:
    with transaction.atomic():
        return domain.messages_queue(
            kind=kind,
            actor=None,
            messages=[
                Outgoing(
                    to_address=f"p{i}@city.example",
                    to_name=f"P {i}",
                    subject=f"Hello {i}",
                    body_text="Body",
                )
                for i in range(n)
            ],
        )


def test_outbox_is_for_the_secretariat(client, focal_point):
    client.force_login(focal_point[0])
    assert client.get(reverse("messaging:outbox")).status_code == 403
    assert client.get("/api/v1/messaging/messages").status_code == 403


def test_outbox_lists_and_filters_in_bounded_queries(
    client, staff_user, django_assert_max_num_queries
):
    _queue(30)
    _queue(2, kind="members.newsletter")
    client.force_login(staff_user)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("messaging:outbox"), {"kind": "members.newsletter"})
    assert page.status_code == 200
    assert page.context["page"].paginator.count == 2
    page = client.get(reverse("messaging:outbox"), {"recipient": "P29@", "state": "queued"})
    assert page.context["page"].paginator.count == 1
    api = client.get("/api/v1/messaging/messages", {"kind": "tests.notice"}).json()
    assert api["count"] == 30 and "id" in api["items"][0]
    assert client.get("/api/v1/messaging/messages", {"state": "lost"}).status_code == 422


def test_cancel_and_resend_through_page_and_api(client, staff_user):
    a, b = _queue(2)
    client.force_login(staff_user)
    client.post(reverse("messaging:cancel", args=[a.pk]))
    a.refresh_from_db()
    assert a.state == "cancelled"
    page = client.get(reverse("messaging:message", args=[a.pk]))
    assert b"Send again" in page.content
    answer = client.post(f"/api/v1/messaging/messages/{a.pk}/resend")
    assert answer.status_code == 201 and answer.json()["state"] == "queued"
    answer = client.post(f"/api/v1/messaging/messages/{a.pk}/cancel")
    assert answer.status_code == 422
    message = "Only a queued message can be cancelled; this one is cancelled."
    assert answer.json() == {"detail": f"state: {message}", "errors": {"state": [message]}}
    assert client.post(f"/api/v1/messaging/messages/{b.pk}/cancel").json()["state"] == "cancelled"


def test_development_mailbox_shows_what_the_sink_received(client, staff_user):
    raw = (
        b"From: a@x.example\r\nTo: b@y.example\r\nSubject: Convocation\r\n"
        b"Message-ID: <1@x>\r\n\r\nCome on 3 May.\r\n"
    )
    mail = received_store(Received(mail_from="a@x.example", rcpt_to=["b@y.example"], raw=raw))
    assert (mail.subject, mail.message_id) == ("Convocation", "<1@x>")
    client.force_login(staff_user)
    assert b"Convocation" in client.get(reverse("messaging:sink")).content
    detail = client.get(reverse("messaging:sink_detail", args=[mail.pk]))
    assert b"Come on 3 May." in detail.content


def test_a_long_korean_subject_is_stored_as_written(client, staff_user):
    """Python's mail encoder folds a long encoded subject right after "Subject:"; parsed
    back, the value started with a space."""
    from django.core.mail import EmailMessage

    subject = "제7차 총회 소집 통지: 스마트시티 네트워크 총회 안내 및 참가 등록"
    raw = EmailMessage(subject, "본문", "a@x.example", ["b@y.example"]).message().as_bytes()
    assert b"Subject: \n" in raw or b"Subject: \r\n" in raw  # the fold this test is about
    mail = received_store(Received(mail_from="a@x.example", rcpt_to=["b@y.example"], raw=raw))
    assert mail.subject == subject


def test_unsubscribe_link_stops_only_non_statutory_mail(client):
    token = unsubscribe_token("Ana@City.example")
    page = client.get(reverse("messaging:unsubscribe", args=[token]))
    assert page.status_code == 200 and not OptOut.objects.exists()  # a GET changes nothing
    client.post(reverse("messaging:unsubscribe", args=[token]))
    assert list(OptOut.objects.values_list("address", flat=True)) == ["ana@city.example"]
    with transaction.atomic():
        news = domain.message_queue(
            kind="members.newsletter",
            to_address="ana@city.example",
            subject="News",
            body_text="b",
            actor=None,
        )
        notice = domain.message_queue(
            kind="governance.convocation",
            statutory=True,
            to_address="ANA@city.example",
            subject="Convocation",
            body_text="b",
            actor=None,
        )
    assert (news.state, notice.state) == ("suppressed", "queued")
    bad = client.get(reverse("messaging:unsubscribe", args=["forged"]))
    assert bad.status_code == 400
