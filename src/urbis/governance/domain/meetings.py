"""Meetings, their agenda items and the candidates of an election or selection."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from urbis.common.actor import ActorArg
from urbis.common.audit import audit_record
from urbis.governance.domain.lifecycle import ensure_open
from urbis.governance.domain.snapshots import snapshot
from urbis.governance.models import (
    AgendaItem,
    Candidate,
    ItemKind,
    Meeting,
)
from urbis.members.models import Organisation

LIFECYCLE_FIELDS = frozenset(
    {
        "status",
        "convocation_notice",
        "concluded_at",
        "minutes_approved_on",
        "minutes_approved_by",
        "published_at",
        "desk_key_generation",
    }
)
"""Set by the lifecycle's own steps (`domain.lifecycle`), never by an edit."""

MEETING_FIELDS = frozenset(
    f.name
    for f in Meeting._meta.concrete_fields
    if f.name not in {"id", "slug"} and f.name not in LIFECYCLE_FIELDS
)
ITEM_FIELDS = frozenset(
    f.name for f in AgendaItem._meta.concrete_fields if f.name not in {"id", "meeting", "number"}
)


def meeting_save(*, actor: ActorArg, slug: str, **fields: Any) -> Meeting:
    """Create or update a meeting by its slug. A concluded meeting's record is corrected by
    errata, not edited: a change is refused (saving the same values again is harmless)."""
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
        after = snapshot(meeting)
        if before != after and meeting.pk:
            ensure_open(meeting)
        if before != after:
            meeting.save()
            after = snapshot(meeting)
            audit_record(
                actor=actor, action="meeting.save", target=meeting, before=before, after=after
            )
    return meeting


def agenda_item_save(
    *, actor: ActorArg, meeting: Meeting, number: int, **fields: Any
) -> AgendaItem:
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
        after = snapshot(item)
        if before != after:
            ensure_open(meeting)
            item.save()
            after = snapshot(item)
            audit_record(
                actor=actor, action="agenda_item.save", target=item, before=before, after=after
            )
    return item


def candidate_add(
    *,
    actor: ActorArg,
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
        existing = Candidate.objects.filter(
            agenda_item=agenda_item, organisation=organisation
        ).first()
        unchanged = existing is not None and (
            existing.label,
            existing.nominated_on,
            existing.nominated_by,
            existing.appointed_by,
            existing.order,
        ) == (label, nominated_on, nominated_by, appointed_by, order)
        if unchanged:
            return existing  # type: ignore[return-value]
        ensure_open(agenda_item.meeting)
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


def meeting_delete(*, actor: ActorArg, meeting: Meeting) -> None:
    """Delete a meeting still in draft (nothing was convened, so nothing is on record)."""
    if meeting.status != "draft":
        raise ValidationError(
            {
                "status": f"{meeting} is {meeting.get_status_display().lower()}: only a draft "
                "meeting can be deleted."
            }
        )
    with transaction.atomic():
        audit_record(actor=actor, action="meeting.delete", target=meeting, before=snapshot(meeting))
        meeting.delete()


def agenda_item_delete(*, actor: ActorArg, item: AgendaItem) -> None:
    """Take an undecided item off the agenda of a meeting not yet concluded."""
    ensure_open(item.meeting)
    if AgendaItem.objects.filter(pk=item.pk, decision__isnull=False).exists():
        raise ValidationError({"agenda_item": f"Agenda {item.number} is decided: it stays."})
    with transaction.atomic():
        audit_record(actor=actor, action="agenda_item.delete", target=item, before=snapshot(item))
        item.delete()


def candidate_remove(*, actor: ActorArg, candidate: Candidate) -> None:
    """Take a candidate, nominee or bid off an undecided item's slate."""
    item = candidate.agenda_item
    ensure_open(item.meeting)
    if AgendaItem.objects.filter(pk=item.pk, decision__isnull=False).exists():
        raise ValidationError({"agenda_item": f"Agenda {item.number} is decided: its slate stays."})
    with transaction.atomic():
        audit_record(
            actor=actor, action="candidate.remove", target=candidate, before=snapshot(candidate)
        )
        candidate.delete()
