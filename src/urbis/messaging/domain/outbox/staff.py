"""The secretariat's hand on one message: cancel a queued one, resend a sent or failed one
as a new message.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from urbis.common.audit import audit_record
from urbis.messaging.domain.outbox.queueing import (
    AttachmentIn,
    Outgoing,
    messages_queue,
)
from urbis.messaging.models import Message


def message_cancel(*, message: Message, actor: Any) -> Message:
    """Cancel a queued message (one waiting for a retry included); a message being sent or
    already sent cannot be called back."""
    with transaction.atomic():
        n = Message.objects.filter(pk=message.pk, state=Message.State.QUEUED).update(
            state=Message.State.CANCELLED
        )
        if not n:
            message.refresh_from_db()
            raise ValidationError(
                {"state": f"Only a queued message can be cancelled; this one is {message.state}."}
            )
        audit_record(
            actor=actor,
            action="message.cancel",
            target=message,
            before={"state": "queued"},
            after={"state": "cancelled"},
        )
    message.refresh_from_db()
    return message


def message_resend(*, message: Message, actor: Any) -> Message:
    """Send a message again as a new message (its own Message-ID), e.g. after a failure or
    when a recipient lost it. A message still queued or being sent is refused."""
    if message.state in {Message.State.QUEUED, Message.State.SENDING}:
        raise ValidationError({"state": f"This message is still {message.state}."})
    atts = [
        AttachmentIn(a.filename, bytes(a.content), a.content_type)
        for a in message.attachments.all()
    ]
    out = Outgoing(
        to_address=message.to_address,
        to_name=message.to_name,
        subject=message.subject,
        body_text=message.body_text,
        body_html=message.body_html,
        attachments=atts,
    )
    with transaction.atomic():
        # A resend by staff is deliberate: it goes even to an address that opted out only
        # when the original was statutory.
        copy = messages_queue(
            kind=message.kind,
            messages=[out],
            actor=actor,
            statutory=message.statutory,
            reference=f"resend:{message.pk}",
            max_attempts=message.max_attempts,
        )[0]
    return copy
