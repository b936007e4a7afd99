"""Turning non-statutory mail off and on for an address. Statutory notices (convocations,
invoices) are sent whatever the address chose."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from urbis.common.audit import audit_record
from urbis.messaging.models import Message, OptOut


def optout_set(*, address: str, actor: Any) -> OptOut:
    """Stop non-statutory mail to `address`; messages of that kind still queued for it are
    suppressed. Doing it twice changes nothing."""
    address = address.strip().lower()
    with transaction.atomic():
        row, created = OptOut.objects.get_or_create(address=address)
        if created:
            n = Message.objects.filter(
                to_address=address, statutory=False, state=Message.State.QUEUED
            ).update(state=Message.State.SUPPRESSED)
            audit_record(
                actor=actor,
                action="message.optout",
                target=row,
                after={"address": address, "suppressed": n},
            )
    return row


def optout_clear(*, address: str, actor: Any) -> bool:
    """Receive non-statutory mail again. Returns whether the address had opted out."""
    address = address.strip().lower()
    with transaction.atomic():
        row = OptOut.objects.filter(address=address).first()
        if row is None:
            return False
        audit_record(actor=actor, action="message.optin", target=row, after={"address": address})
        row.delete()
    return True
