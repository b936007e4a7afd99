"""Messages to members: a segment's focal points, a preview, a send whose delivery staff see
per recipient, and opt-outs respected for announcements only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories.members import ContactFactory, LifecycleEventFactory, member_since
from tests.messaging.conftest import smtp_server  # noqa: F401 - the real SMTP server fixture
from urbis.common.models import CountryRegion, Region
from urbis.members.queries.segments import Recipient, Segment, segment_recipients
from urbis.messaging import domain
from urbis.messaging.models import Batch, Message

pytestmark = pytest.mark.django_db


@pytest.fixture
def network():
    europe = Region.objects.create(code="europe", name="Europe")
    asia = Region.objects.create(code="asia-pacific", name="Asia-Pacific")
    CountryRegion.objects.create(country="FR", region=europe)
    CountryRegion.objects.create(country="KR", region=asia)
    paris = member_since(
        dt.date(2020, 1, 1), name="Paris", country="FR", category="local_government"
    )
    lyon = member_since(dt.date(2020, 1, 1), name="Lyon", country="FR", category="local_government")
    LifecycleEventFactory(organisation=lyon, kind="suspended", date=dt.date(2026, 2, 1))
    seoul = member_since(
        dt.date(2020, 1, 1), name="Seoul", country="KR", category="local_government"
    )
    ContactFactory(organisation=paris, is_focal_point=True, name="Pia", email="Pia@paris.example")
    ContactFactory(organisation=paris, is_focal_point=False, name="Mayor", email="m@paris.example")
    ContactFactory(organisation=lyon, is_focal_point=True, name="Leo", email="leo@lyon.example")
    ContactFactory(organisation=seoul, is_focal_point=True, name="Su", email="su@seoul.example")
    ContactFactory(organisation=seoul, is_focal_point=True, name="No address", email="")
    return paris, lyon, seoul


def test_segment_by_region_and_state_as_of_a_date(network):
    europe = Segment(region="europe", state="member", as_of=dt.date(2026, 1, 15))
    assert segment_recipients(europe) == [
        Recipient("Lyon", "Leo", "leo@lyon.example", "en"),
        Recipient("Paris", "Pia", "pia@paris.example", "en"),
    ]
    later = Segment(region="europe", state="member", as_of=dt.date(2026, 3, 1))
    assert [r.email for r in segment_recipients(later)] == ["pia@paris.example"]
    assert later.describe() == "focal points of organisations in Europe, member on 01 March 2026"
    assert [r.email for r in segment_recipients(Segment(category="local_government"))] == [
        "leo@lyon.example",
        "pia@paris.example",
        "su@seoul.example",
    ]


def test_staff_preview_then_send_and_see_delivery(client, staff_user, network, smtp_server):  # noqa: F811
    domain.optout_set(address="su@seoul.example", actor=None)
    client.force_login(staff_user)
    form = {
        "category": "local_government",
        "subject": "Smart-city week",
        "body": "Dear {name} of {organisation},\nsee you in May.",
    }
    preview = client.post(reverse("members_messages:compose"), {**form, "action": "preview"})
    assert preview.status_code == 200 and preview.context["total"] == 3
    assert preview.context["sample"].body_text.startswith("Dear Leo of Lyon,\nsee you in May.")
    assert not Message.objects.exists()
    sent = client.post(reverse("members_messages:compose"), {**form, "action": "send"})
    batch = Batch.objects.get()
    assert sent["Location"] == reverse("messaging:batch", args=[batch.pk])
    states = dict(Message.objects.values_list("to_address", "state"))
    assert states == {
        "leo@lyon.example": "queued",
        "pia@paris.example": "queued",
        "su@seoul.example": "suppressed",
    }
    domain.outbox_send()
    assert sorted(r.rcpt_to[0] for r in smtp_server.received) == [
        "leo@lyon.example",
        "pia@paris.example",
    ]
    page = client.get(reverse("messaging:batch", args=[batch.pk]))
    assert page.context["counts"]["sent"] == 2 and page.context["counts"]["suppressed"] == 1
    listing = client.get(reverse("messaging:batches"))
    assert listing.context["page"].object_list[0].sent == 2


def test_a_statutory_notice_reaches_addresses_that_opted_out(client, staff_user, network):
    domain.optout_set(address="su@seoul.example", actor=None)
    client.force_login(staff_user)
    client.post(
        reverse("members_messages:compose"),
        {
            "region": "asia-pacific",
            "subject": "Convocation",
            "body": "Come.",
            "statutory": "on",
            "action": "send",
        },
    )
    (message,) = Message.objects.all()
    assert (message.to_address, message.state, message.statutory) == (
        "su@seoul.example",
        "queued",
        True,
    )
    assert "To stop announcements" not in message.body_text


def test_empty_segment_sends_nothing_and_says_so(client, staff_user, network):
    client.force_login(staff_user)
    answer = client.post(
        reverse("members_messages:compose"),
        {"category": "corporation", "subject": "S", "body": "B", "action": "send"},
    )
    assert answer.status_code == 400
    assert b"The segment has no recipient with an address." in answer.content
    assert not Batch.objects.exists()


def test_sending_reads_the_segment_once(client, staff_user, network, monkeypatch):
    """The compose page read the recipients for its preview before the send read them
    again: a send reads them once, inside the domain."""
    from urbis.members import views_messages
    from urbis.members.domain import messages as domain_messages

    calls: list[Segment] = []

    def counted(segment: Segment) -> list[Recipient]:
        calls.append(segment)
        return segment_recipients(segment)

    monkeypatch.setattr(views_messages, "segment_recipients", counted)
    monkeypatch.setattr(domain_messages, "segment_recipients", counted)
    client.force_login(staff_user)
    form = {"category": "local_government", "subject": "S", "body": "B"}
    sent = client.post(reverse("members_messages:compose"), {**form, "action": "send"})
    assert sent.status_code == 302 and len(calls) == 1
    assert Message.objects.count() == 3
    client.post(reverse("members_messages:compose"), {**form, "action": "preview"})
    assert len(calls) == 2


def test_only_the_secretariat_composes(client, focal_point):
    client.force_login(focal_point[0])
    assert client.get(reverse("members_messages:compose")).status_code == 403
