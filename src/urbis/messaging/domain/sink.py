"""What the development SMTP sink received, kept in the database for the staff page."""

from __future__ import annotations

import datetime as dt

from urbis.messaging.models import ReceivedMail
from urbis.messaging.sink import Received


def received_store(received: Received) -> ReceivedMail:
    """Store one received message (no audit record: this is a development mailbox, not a
    change of the platform's data). A long non-ASCII subject arrives folded right after
    "Subject:", which leaves a leading space in the parsed value: the stored one is trimmed."""
    msg = received.message
    return ReceivedMail.objects.create(
        mail_from=received.mail_from[:254],
        rcpt_to=received.rcpt_to,
        subject=str(msg.get("Subject", "")).strip()[:300],
        message_id=str(msg.get("Message-ID", "")).strip()[:200],
        raw=received.raw,
    )


def received_clear(*, before: dt.datetime | None = None) -> int:
    qs = ReceivedMail.objects.all()
    if before is not None:
        qs = qs.filter(received_at__lt=before)
    return qs.delete()[0]
