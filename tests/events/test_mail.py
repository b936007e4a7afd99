"""Registration mail through a real SMTP server on loopback: received (a focal point's
registration), approved (with the badge's QR code), rejected (with the reason)."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
import zxingcpp
from django.core.exceptions import ValidationError
from django.db import transaction
from PIL import Image

from tests.factories.events import EventFactory
from tests.messaging.conftest import smtp_server  # noqa: F401  (the fixture)
from urbis.common.models import AuditRecord
from urbis.events import domain, rules
from urbis.events.badges import qr_payload
from urbis.events.models import RegistrationStatus
from urbis.messaging.domain import optout_set, outbox_send
from urbis.messaging.models import Message

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.URBIS_BASE_URL = "https://urbis.example"


@pytest.fixture
def event():
    return EventFactory(
        slug="summit-2031",
        name="Urban Summit 2031",
        starts_on=dt.date(2031, 4, 14),
        ends_on=dt.date(2031, 4, 16),
        registration_open=True,
    )


def _by_focal_point(focal_point, event, **kw):
    user, org = focal_point
    user.email = "focal@focal-city.example"
    user.first_name, user.last_name = "Fay", "Focal"
    user.save()
    return domain.registration_create(
        actor=user,
        event=event,
        organisation=org,
        person_name="Dee Legate",
        position="Deputy Mayor",
        email="dee@focal-city.example",
        **kw,
    )


def _plain(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def test_received_goes_to_the_delegate_and_the_focal_point(
    focal_point,
    event,
    smtp_server,  # noqa: F811
):
    reg = _by_focal_point(focal_point, event)
    assert reg.status == RegistrationStatus.PENDING
    rows = Message.objects.order_by("to_address")
    assert [(m.kind, m.to_address, m.to_name, m.statutory, m.reference) for m in rows] == [
        (
            "events.registration_received",
            "dee@focal-city.example",
            "Dee Legate",
            True,
            f"registration:{reg.code}",
        ),
        (
            "events.registration_received",
            "focal@focal-city.example",
            "Fay Focal",
            True,
            f"registration:{reg.code}",
        ),
    ]
    assert outbox_send().sent == 2
    (mail,) = [r.message for r in smtp_server.to("dee@focal-city.example")]
    assert mail["Subject"] == "Registration received: Dee Legate, Urban Summit 2031"
    text = _plain(mail)
    assert (
        "We received the registration of Dee Legate (Deputy Mayor) of Focal City for "
        "Urban Summit 2031 (14 April\u201316 April 2031)." in text
    )
    assert f"https://urbis.example/events/summit-2031/registrations/{reg.code}/" in text
    assert list(mail.iter_attachments()) == []


def test_approval_sends_the_badge_qr_even_to_an_opted_out_address(
    focal_point,
    event,
    staff_user,
    smtp_server,  # noqa: F811
):
    reg = _by_focal_point(focal_point, event)
    optout_set(address="dee@focal-city.example", actor=None)
    domain.registration_approve(actor=staff_user, registration=reg)
    domain.registration_approve(actor=staff_user, registration=reg)  # twice: one mail
    approved = Message.objects.filter(kind="events.registration_approved")
    assert sorted((m.to_address, m.state) for m in approved) == [
        ("dee@focal-city.example", "queued"),
        ("focal@focal-city.example", "queued"),
    ]
    outbox_send()
    (mail,) = [
        r.message
        for r in smtp_server.to("dee@focal-city.example")
        if r.message["Subject"].startswith("Registration approved")
    ]
    assert mail["Subject"] == "Registration approved: Dee Legate, Urban Summit 2031"
    assert f"Badge code: {rules.format_code(reg.code)}" in _plain(mail)
    (png,) = list(mail.iter_attachments())
    assert (png.get_filename(), png.get_content_type()) == (f"badge-{reg.code}.png", "image/png")
    (decoded,) = zxingcpp.read_barcodes(Image.open(BytesIO(png.get_content())))
    assert decoded.text == qr_payload(reg)


def test_rejection_needs_a_reason_and_sends_it(
    focal_point,
    event,
    staff_user,
    smtp_server,  # noqa: F811
):
    reg = _by_focal_point(focal_point, event)
    with pytest.raises(ValidationError) as exc:
        domain.registration_reject(actor=staff_user, registration=reg, reason="  ")
    assert exc.value.message_dict == {"reason": ["Say why the registration is not accepted."]}
    domain.registration_reject(
        actor=staff_user, registration=reg, reason="Each member sends at most three delegates."
    )
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.REJECTED
    record = AuditRecord.objects.get(action="registration.rejected")
    assert record.after == {
        "status": "rejected",
        "reason": "Each member sends at most three delegates.",
    }
    outbox_send()
    (mail,) = [
        r.message
        for r in smtp_server.to("focal@focal-city.example")
        if r.message["Subject"].startswith("Registration not accepted")
    ]
    assert "Reason: Each member sends at most three delegates." in _plain(mail)


def test_a_rolled_back_registration_queues_nothing(focal_point, event):
    with pytest.raises(RuntimeError), transaction.atomic():
        _by_focal_point(focal_point, event)
        assert Message.objects.count() == 2
        raise RuntimeError("rolled back")
    assert Message.objects.count() == 0


def test_staff_registration_without_addresses_queues_nothing(staff_user, event):
    from tests.factories.members import OrganisationFactory

    staff_user.email = ""
    staff_user.save()
    domain.registration_create(
        actor=staff_user, event=event, organisation=OrganisationFactory(), person_name="Walk In"
    )
    assert Message.objects.count() == 0


def test_event_registrants_are_a_group_for_messages_to_members(focal_point, event, client):
    from django.contrib.auth.models import Group as Role

    from tests.factories.events import RegistrationFactory
    from urbis.common import roles
    from urbis.members.queries.segments import Segment, segment_recipients

    _by_focal_point(focal_point, event)
    RegistrationFactory(
        event=event, person_name="Gone", email="gone@x.example", status=RegistrationStatus.CANCELLED
    )
    RegistrationFactory(event=event, person_name="Demo", email="demo@x.example", synthetic=True)
    segment = Segment(group="event:summit-2031")
    assert segment.describe() == "delegates registered for Urban Summit 2031"
    assert [(r.organisation, r.name, r.email) for r in segment_recipients(segment)] == [
        ("Focal City", "Dee Legate", "dee@focal-city.example")
    ]
    user, _org = focal_point
    user.groups.add(Role.objects.get_or_create(name=roles.STAFF)[0])
    client.force_login(user)
    response = client.post(
        "/members/messages/",
        {
            "group": "event:summit-2031",
            "subject": "Shuttle times",
            "body": "Dear {name},",
            "action": "preview",
        },
    )
    assert response.status_code == 200
    assert response.context["segment"] == "delegates registered for Urban Summit 2031"
    assert response.context["total"] == 1
    assert response.context["sample"].body_text.startswith("Dear Dee Legate,")
