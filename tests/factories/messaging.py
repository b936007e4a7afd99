"""Outbox rows for tests that need one without going through SMTP."""

from __future__ import annotations

from types import SimpleNamespace

from django.utils import timezone

from urbis.messaging.models import Batch, Message, ReceivedMail
from urbis.messaging.unsubscribe import unsubscribe_token


def sent_message(**fields) -> Message:
    now = timezone.now()
    values = {
        "kind": "tests.notice", "state": Message.State.SENT, "to_address": "p@city.example",
        "from_address": "secretariat@urbis.localhost", "subject": "Notice", "body_text": "Hi",
        "message_id": f"<{now.timestamp()}@urbis.localhost>", "next_attempt_at": now,
        "sent_at": now, "attempts": 1, **fields,
    }  # fmt: skip
    return Message.objects.create(**values)


def received_mail() -> ReceivedMail:
    raw = b"From: a@x.example\r\nTo: b@y.example\r\nSubject: Hello\r\n\r\nBody\r\n"
    return ReceivedMail.objects.create(
        mail_from="a@x.example", rcpt_to=["b@y.example"], subject="Hello", raw=raw
    )


def unsubscribe_link(address: str = "p@city.example") -> SimpleNamespace:
    return SimpleNamespace(token=unsubscribe_token(address))


def batch() -> Batch:
    made = Batch.objects.create(title="Notice", segment="focal points of organisations")
    sent_message(batch=made, message_id="<batch-1@urbis.localhost>")
    return made
