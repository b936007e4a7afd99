"""The member registry of the 6th General Assembly data set, from `organisations/*.yaml`.

Each file lists `organisations:` (with optional file-level `defaults:` merged into every row,
and a `texts:` block that only holds YAML anchors for repeated reasons). A row carries the
organisation's profile fields, its `lifecycle` events and its `contacts`.

Every row of every file is validated first and all errors are collected as
`file:line: field: reason`; any error raises `DataErrors` before anything is written. The
writes then go through the members domain functions (one audit record each), inside one
transaction. Loading is idempotent: organisations are matched by slug, then by name, and
updated only where a field differs; lifecycle events (kind + date) and contacts
(name + position) that already exist are skipped.

Lifecycle dates: a full date has precision "day"; `2012-11` means the month only (stored as
the 1st, precision "month"); `2014` means the year only (stored as 1 July, precision
"year"). An explicit `precision` overrides the one read from the date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from urbis.demo.loaders.context import LoadContext
from urbis.demo.loaders.members.validate import OrgRow, model_errors, validate
from urbis.demo.yamlio import DataError, DataErrors
from urbis.members.domain import (
    contact_save,
    lifecycle_record,
    organisation_create,
    organisation_update,
)
from urbis.members.models import Contact, Organisation

__all__ = ["load", "validate"]


def _current(org: Organisation, name: str) -> Any:
    value = getattr(org, name)
    if name == "country":
        return str(value or "")
    return value


@dataclass
class _Tally:
    created: int = 0
    updated: int = 0
    events: int = 0
    events_new: int = 0
    contacts: int = 0
    contacts_new: int = 0
    contacts_changed: int = 0


def _write(row: OrgRow, actor: Any, tally: _Tally) -> None:
    org = row.existing
    if org is None:
        org = organisation_create(actor=actor, slug=row.slug, **row.fields)
        tally.created += 1
        old_events: set[tuple[str, dt.date]] = set()
        old_contacts: dict[tuple[str, str], Contact] = {}
    else:
        changes = {k: v for k, v in row.fields.items() if _current(org, k) != v}
        if changes:
            org = organisation_update(actor=actor, organisation=org, **changes)
            tally.updated += 1
        old_events = {(e.kind, e.date) for e in org.lifecycle_events.all()}
        old_contacts = {(c.name, c.position): c for c in org.contacts.all()}
    for event in sorted(row.events, key=lambda e: e.date):
        tally.events += 1
        if (event.kind, event.date) in old_events:
            continue
        lifecycle_record(
            actor=actor,
            organisation=org,
            kind=event.kind,
            date=event.date,
            reason=event.reason,
            decision_ref=event.decision_ref,
            date_precision=event.precision,
            letter=event.letter,
            evidence={"note": event.note} if event.note else None,
        )
        tally.events_new += 1
    for contact in row.contacts:
        tally.contacts += 1
        current = old_contacts.get(contact.key)
        if current is None:
            contact_save(actor=actor, organisation=org, **contact.fields)
            tally.contacts_new += 1
        elif any(getattr(current, k) != v for k, v in contact.fields.items()):
            contact_save(actor=actor, organisation=org, contact=current, **contact.fields)
            tally.contacts_changed += 1


def load(ctx: LoadContext) -> str:
    rows = validate(ctx.data_dir)
    tally = _Tally()
    with transaction.atomic():
        for number, row in enumerate(rows, start=1):
            if number % 50 == 0:
                ctx.progress(f"Loading organisations {number}/{len(rows)}")
            try:
                _write(row, ctx.actor, tally)
            except ValidationError as exc:  # the checks above should make this unreachable
                raise DataErrors(
                    [DataError(row.file, row.line, f, reason) for f, reason in model_errors(exc)]
                ) from exc
    return (
        f"members: {len(rows)} organisations ({tally.created} new, {tally.updated} changed), "
        f"{tally.events} lifecycle events ({tally.events_new} new), "
        f"{tally.contacts} contacts ({tally.contacts_new} new, {tally.contacts_changed} changed)"
    )
