"""A message composed by staff to many recipients: one Batch, one Message per recipient,
written together (all or nothing)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from urbis.messaging.domain.outbox import Outgoing, messages_queue
from urbis.messaging.models import Batch


def batch_queue(
    *, title: str, segment: str, statutory: bool, messages: Sequence[Outgoing], actor: Any
) -> Batch:
    """Queue one message per recipient under a batch whose page shows each one's delivery.
    Non-statutory messages to addresses that opted out are kept as `suppressed`."""
    if not messages:
        raise ValidationError({"segment": "The segment has no recipient with an address."})
    user = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        batch = Batch.objects.create(
            title=title.strip()[:300], segment=segment[:500], statutory=statutory, created_by=user
        )
        messages_queue(
            kind="members.message",
            messages=messages,
            actor=actor,
            statutory=statutory,
            reference=f"batch:{batch.pk}",
            batch=batch,
        )
    return batch
