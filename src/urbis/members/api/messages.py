"""Messages to a segment of members (the secretariat): preview and send, as the compose
page does, through `members.domain.messages`."""

import datetime as dt

from django.http import HttpRequest
from ninja import Schema, Status

from urbis.common.actor import ACTOR_AUTH, permission_required
from urbis.members.api.base import WRITE_ERRORS, _actor, router
from urbis.members.domain.messages import (
    segment_message_check,
    segment_message_personalise,
    segment_message_send,
)
from urbis.members.queries.segments import Segment, segment_recipients


class SegmentMessageIn(Schema):
    """The segment (each filter optional; `group` instead of the focal points) and the
    message; {name} and {organisation} in `body` are replaced for each recipient."""

    category: str = ""
    region: str = ""
    state: str = ""
    as_of: dt.date | None = None
    group: str = ""
    subject: str
    body: str
    statutory: bool = False


class SegmentMessagePreviewOut(Schema):
    segment: str
    recipients: int
    subject: str
    sample_to: str | None
    sample_text: str | None


class SegmentMessageSentOut(Schema):
    batch_id: int
    segment: str
    recipients: int
    subject: str


def _segment(payload: SegmentMessageIn) -> Segment:
    return Segment(
        category=payload.category,
        region=payload.region,
        state=payload.state,
        as_of=payload.as_of,
        group=payload.group,
    )


@router.post(
    "/messages/preview",
    response={200: SegmentMessagePreviewOut, **WRITE_ERRORS},
    auth=ACTOR_AUTH,
)
@permission_required("messaging.change_outbox")
def segment_message_preview(request: HttpRequest, payload: SegmentMessageIn) -> dict[str, object]:
    """What the compose page previews: how many recipients, and the message as the first
    one reads it. Nothing is queued."""
    segment = _segment(payload)
    segment_message_check(segment=segment, subject=payload.subject, body=payload.body)
    recipients = segment_recipients(segment)
    sample = (
        segment_message_personalise(
            subject=payload.subject,
            body=payload.body,
            statutory=payload.statutory,
            recipient=recipients[0],
        )
        if recipients
        else None
    )
    return {
        "segment": segment.describe(),
        "recipients": len(recipients),
        "subject": payload.subject,
        "sample_to": sample.to_address if sample else None,
        "sample_text": sample.body_text if sample else None,
    }


@router.post(
    "/messages",
    response={201: SegmentMessageSentOut, **WRITE_ERRORS},
    auth=ACTOR_AUTH,
)
@permission_required("messaging.change_outbox")
def segment_message_create(request: HttpRequest, payload: SegmentMessageIn) -> Status:
    """Queue the message to every recipient of the segment as one batch (the compose page's
    "send"); its delivery is on `GET /api/v1/messaging/messages?batch={batch_id}`."""
    segment = _segment(payload)
    batch, count = segment_message_send(
        segment=segment,
        subject=payload.subject,
        body=payload.body,
        statutory=payload.statutory,
        actor=_actor(request),
    )
    return Status(
        201,
        {
            "batch_id": batch.pk,
            "segment": segment.describe(),
            "recipients": count,
            "subject": payload.subject,
        },
    )
