"""Offices and terms: who held which office, from when to when, on what basis."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from urbis.common.audit import audit_record
from urbis.governance import rules
from urbis.governance.domain.snapshots import snapshot
from urbis.governance.models import (
    AgendaItem,
    OfficeKind,
    OfficeTerm,
)
from urbis.members.models import Organisation


def office_term_record(
    *,
    actor: Any,
    kind: str,
    start: dt.date,
    end: dt.date | None = None,
    organisation: Organisation | None = None,
    person_name: str = "",
    region: str = "",
    title: str = "",
    basis: str = "",
    note: str = "",
    agenda_item: AgendaItem | None = None,
) -> OfficeTerm:
    """Record who holds an office for a term. Art. 11: the President City, the Executive Vice
    President City and the Secretary General have one holder at a time, so an overlapping
    term of another holder is refused. Recording the same term again changes nothing."""
    if kind not in OfficeKind.values:
        raise ValidationError({"kind": f"Unknown office '{kind}'."})
    if end is not None and end < start:
        raise ValidationError({"end": f"The term ends ({end}) before it starts ({start})."})
    with transaction.atomic():
        existing = OfficeTerm.objects.filter(
            kind=kind, organisation=organisation, region=region, start=start
        ).first()
        if existing is not None and organisation is not None:
            return existing
        if kind in rules.SINGLE_HOLDER_OFFICES:
            for other in OfficeTerm.objects.select_for_update().filter(kind=kind):
                same = other.organisation_id == (organisation.pk if organisation else None) and (
                    other.person_name == person_name
                )
                if not same and rules.terms_overlap(start, end, other.start, other.end):
                    raise ValidationError(
                        {"start": f"Art. 11: {other} overlaps the new term {start} to {end or ''}."}
                    )
                if same and other.start == start:
                    return other
        term = OfficeTerm.objects.create(
            kind=kind,
            organisation=organisation,
            person_name=person_name,
            region=region,
            title=title,
            start=start,
            end=end,
            basis=basis,
            note=note,
            agenda_item=agenda_item,
        )
        audit_record(actor=actor, action="office_term.record", target=term, after=snapshot(term))
    return term
