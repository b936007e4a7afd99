"""Meetings, their agenda items and the candidates of an election or selection."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from urbis.common.audit import audit_record
from urbis.governance.domain.snapshots import snapshot
from urbis.governance.models import (
    AgendaItem,
    Candidate,
    ItemKind,
    Meeting,
)
from urbis.members.models import Organisation

MEETING_FIELDS = frozenset(
    f.name for f in Meeting._meta.concrete_fields if f.name not in {"id", "slug"}
)
ITEM_FIELDS = frozenset(
    f.name for f in AgendaItem._meta.concrete_fields if f.name not in {"id", "meeting", "number"}
)


def meeting_save(*, actor: Any, slug: str, **fields: Any) -> Meeting:
    """Create or update a meeting by its slug."""
    unknown = set(fields) - MEETING_FIELDS
    if unknown:
        raise ValidationError({name: "Unknown field." for name in sorted(unknown)})
    with transaction.atomic():
        meeting = Meeting.objects.filter(slug=slug).first()
        before = snapshot(meeting) if meeting else None
        meeting = meeting or Meeting(slug=slug)
        for name, value in fields.items():
            setattr(meeting, name, value)
        meeting.full_clean()
        meeting.save()
        after = snapshot(meeting)
        if before != after:
            audit_record(
                actor=actor, action="meeting.save", target=meeting, before=before, after=after
            )
    return meeting


def agenda_item_save(*, actor: Any, meeting: Meeting, number: int, **fields: Any) -> AgendaItem:
    """Create or update agenda item `number` of a meeting."""
    unknown = set(fields) - ITEM_FIELDS
    if unknown:
        raise ValidationError({name: "Unknown field." for name in sorted(unknown)})
    with transaction.atomic():
        item = AgendaItem.objects.filter(meeting=meeting, number=number).first()
        before = snapshot(item) if item else None
        item = item or AgendaItem(meeting=meeting, number=number)
        for name, value in fields.items():
            setattr(item, name, value)
        item.full_clean()
        item.save()
        after = snapshot(item)
        if before != after:
            audit_record(
                actor=actor, action="agenda_item.save", target=item, before=before, after=after
            )
    return item


def candidate_add(
    *,
    actor: Any,
    agenda_item: AgendaItem,
    organisation: Organisation,
    label: str = "",
    nominated_on: dt.date | None = None,
    nominated_by: str = "",
    appointed_by: str = "",
    order: int = 0,
) -> Candidate:
    """Put a candidate on an item's slate (a nominee, or a bid for a host-city selection)."""
    if agenda_item.kind not in {ItemKind.ELECTION, ItemKind.APPOINTMENT, ItemKind.SELECTION}:
        raise ValidationError({"agenda_item": f"{agenda_item} takes no candidates."})
    with transaction.atomic():
        candidate, created = Candidate.objects.update_or_create(
            agenda_item=agenda_item,
            organisation=organisation,
            defaults={
                "label": label,
                "nominated_on": nominated_on,
                "nominated_by": nominated_by,
                "appointed_by": appointed_by,
                "order": order,
            },
        )
        if created:
            audit_record(
                actor=actor, action="candidate.add", target=candidate, after=snapshot(candidate)
            )
    return candidate
