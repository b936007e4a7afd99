"""Reads for an organisation's profile: its contacts, its audit history, a focal point's members."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import CharField, Prefetch, Q, QuerySet
from django.db.models.functions import Cast

from urbis.common.models import AuditRecord
from urbis.members.models import Contact, Organisation

HISTORY_LIMIT = 200
EMPTY: tuple[Any, ...] = ("", None, [], {})


def organisation_contacts(organisation: Organisation) -> QuerySet[Contact]:
    """Contacts of one organisation with their linked accounts, in one query."""
    return organisation.contacts.select_related("user").order_by("name", "id")


def focal_point_organisations(user: Any) -> QuerySet[Organisation]:
    """The organisations `user` speaks for as a focal point (usually one), with their
    contacts prefetched as `org.contacts.all()` (two queries in all)."""
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    contacts = Contact.objects.select_related("user").order_by("name", "id")
    return (
        Organisation.objects.filter(contacts__user=user, contacts__is_focal_point=True)
        .distinct()
        .order_by("name")
        .prefetch_related(Prefetch("contacts", queryset=contacts))
    )


@dataclass(frozen=True)
class Change:
    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class HistoryEntry:
    at: dt.datetime
    actor: str
    action: str
    target: str
    changes: list[Change]


def _changes(before: Any, after: Any) -> list[Change]:
    """Field-by-field changes; on a creation (no `before`) empty values are left out."""
    before = before if isinstance(before, dict) else {}
    after = after if isinstance(after, dict) else {}
    return [
        Change(field=k, before=before.get(k), after=after.get(k))
        for k in sorted({*before, *after})
        if k in before or after.get(k) not in EMPTY
    ]


def organisation_history(
    organisation: Organisation, *, limit: int = HISTORY_LIMIT
) -> list[HistoryEntry]:
    """Audit records of an organisation and of its contacts, newest first, in one query."""
    contact_ids = (
        Contact.objects.filter(organisation=organisation)
        .annotate(key=Cast("pk", output_field=CharField()))
        .values("key")
    )
    records = AuditRecord.objects.filter(
        Q(target_type=Organisation._meta.label_lower, target_id=str(organisation.pk))
        | Q(target_type=Contact._meta.label_lower, target_id__in=contact_ids)
    ).order_by("-at", "-id")[:limit]
    return [
        HistoryEntry(
            at=r.at,
            actor=r.actor_label or "system",
            action=r.action,
            target=r.target_repr,
            changes=_changes(r.before, r.after),
        )
        for r in records
    ]
