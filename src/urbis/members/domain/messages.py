"""Messages from the secretariat to a segment of members: checked, personalised per recipient
and queued as one batch in the outbox. The compose page and the API call the same functions,
so that what a recipient reads does not depend on where the message was sent from."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.html import escape, linebreaks

from urbis.common.models import Region
from urbis.members.models import Category
from urbis.members.queries.segments import Recipient, Segment, segment_groups, segment_recipients
from urbis.members.rules import State
from urbis.messaging.domain import Outgoing, batch_queue
from urbis.messaging.models import Batch
from urbis.messaging.unsubscribe import unsubscribe_url

SUBJECT_MAX_LENGTH = 300


def segment_message_check(*, segment: Segment, subject: str, body: str) -> None:
    """Refuse, naming each field, a segment value nobody offers or a subject that is not one
    non-empty line: the same refusals as the compose form's, for callers without it."""
    errors: dict[str, str] = {}
    if segment.category and segment.category not in Category.values:
        errors["category"] = f"No category '{segment.category}'."
    if segment.region and not Region.objects.filter(code=segment.region).exists():
        errors["region"] = f"No region '{segment.region}'."
    if segment.state and segment.state not in {s.value for s in State}:
        errors["state"] = f"No state '{segment.state}'."
    if segment.group and segment.group not in segment_groups():
        errors["group"] = f"No group '{segment.group}'."
    if not subject.strip():
        errors["subject"] = "A message needs a subject."
    elif "\n" in subject or "\r" in subject:
        errors["subject"] = "A subject is one line."
    elif len(subject) > SUBJECT_MAX_LENGTH:
        errors["subject"] = f"A subject has at most {SUBJECT_MAX_LENGTH} characters."
    if not body.strip():
        errors["body"] = "A message needs a body."
    if errors:
        raise ValidationError(errors)


def segment_message_personalise(
    *, subject: str, body: str, statutory: bool, recipient: Recipient
) -> Outgoing:
    """The message as one recipient reads it ({name} and {organisation} replaced); a
    non-statutory one says how to stop them."""
    text = body.replace("{name}", recipient.name).replace("{organisation}", recipient.organisation)
    html = linebreaks(escape(text))
    if not statutory:
        url = unsubscribe_url(recipient.email)
        text += f"\n\n--\nTo stop announcements like this one: {url}\n"
        html += f'<hr><p><a href="{escape(url)}">Stop announcements like this one</a></p>'
    return Outgoing(
        to_address=recipient.email,
        to_name=recipient.name,
        subject=subject,
        body_text=text,
        body_html=html,
    )


def segment_message_send(
    *, segment: Segment, subject: str, body: str, statutory: bool, actor: Any
) -> tuple[Batch, int]:
    """Queue the message to every recipient of the segment as one batch (audited by the
    outbox); answers the batch and how many recipients it was queued for. A segment without
    a recipient is refused on `segment`."""
    segment_message_check(segment=segment, subject=subject, body=body)
    recipients = segment_recipients(segment)
    batch = batch_queue(
        title=subject,
        segment=segment.describe(),
        statutory=statutory,
        messages=[
            segment_message_personalise(
                subject=subject, body=body, statutory=statutory, recipient=r
            )
            for r in recipients
        ],
        actor=actor,
    )
    return batch, len(recipients)
