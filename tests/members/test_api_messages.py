"""Messages to a segment of members through the API: the compose page's preview and send."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.members.test_messages import network  # noqa: F401 - the members and their contacts
from urbis.common.models import AuditRecord
from urbis.messaging import domain
from urbis.messaging.models import Batch, Message

pytestmark = pytest.mark.django_db
BASE = "/api/v1/members/messages"
JSON = "application/json"
MESSAGE = {
    "category": "local_government",
    "subject": "Smart-city week",
    "body": "Dear {name} of {organisation},\nsee you in May.",
}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_preview_counts_the_recipients_and_queues_nothing(staff_user, network):  # noqa: F811
    response = _client(staff_user).post(f"{BASE}/preview", MESSAGE, content_type=JSON)
    assert response.status_code == 200
    body = response.json()
    assert (body["segment"], body["recipients"], body["subject"], body["sample_to"]) == (
        "focal points of local governments",
        3,
        "Smart-city week",
        "leo@lyon.example",
    )
    assert body["sample_text"].startswith("Dear Leo of Lyon,\nsee you in May.\n\n--\n")
    assert (Message.objects.count(), Batch.objects.count()) == (0, 0)


def test_send_queues_one_batch_with_opt_outs_suppressed(staff_user, network):  # noqa: F811
    domain.optout_set(address="su@seoul.example", actor=None)
    response = _client(staff_user).post(BASE, MESSAGE, content_type=JSON)
    assert response.status_code == 201
    batch = Batch.objects.get()
    assert response.json() == {
        "batch_id": batch.pk,
        "segment": "focal points of local governments",
        "recipients": 3,
        "subject": "Smart-city week",
    }
    assert dict(Message.objects.values_list("to_address", "state")) == {
        "leo@lyon.example": "queued",
        "pia@paris.example": "queued",
        "su@seoul.example": "suppressed",
    }
    record = AuditRecord.objects.get(action="message.queue")
    assert (record.actor, record.target_id, record.after["count"]) == (
        staff_user,
        str(batch.pk),
        3,
    )


def test_refusals_name_the_field_and_queue_nothing(staff_user, network):  # noqa: F811
    client = _client(staff_user)
    bad = client.post(
        BASE,
        {**MESSAGE, "region": "atlantis", "subject": "Two\nlines", "body": " "},
        content_type=JSON,
    )
    assert bad.status_code == 422
    assert bad.json()["errors"] == {
        "region": ["No region 'atlantis'."],
        "subject": ["A subject is one line."],
        "body": ["A message needs a body."],
    }
    empty = client.post(BASE, {**MESSAGE, "category": "corporation"}, content_type=JSON)
    assert empty.status_code == 422
    assert empty.json()["errors"] == {"segment": ["The segment has no recipient with an address."]}
    missing = client.post(f"{BASE}/preview", {"subject": "S"}, content_type=JSON)
    assert missing.status_code == 422
    assert list(missing.json()["errors"]) == ["body"]
    assert (Message.objects.count(), Batch.objects.count()) == (0, 0)


def test_only_the_secretariat_sends_to_members(excom_user, focal_point, network):  # noqa: F811
    user, _ = focal_point
    for someone in (excom_user, user):
        for url in (BASE, f"{BASE}/preview"):
            response = _client(someone).post(url, MESSAGE, content_type=JSON)
            assert response.status_code == 403
            assert response.json() == {
                "detail": f"Permission 'messaging.change_outbox' is not granted to "
                f"{someone.username}."
            }
    assert Client().post(BASE, MESSAGE, content_type=JSON).status_code == 401
    assert Message.objects.count() == 0
