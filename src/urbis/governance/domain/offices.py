"""Offices and terms: who held which office, from when to when, on what basis."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from urbis.common.actor import ActorArg
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
    actor: ActorArg,
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
    """Record who holds an office for a term. Art. 11(2): the President City, the Executive
    Vice President City and the Secretary General have one holder at a time, the Vice
    President Cities two (`rules.OFFICE_SEATS`), so a term overlapping as many terms of other
    holders is refused (a decision ends them first: `office_terms_succeed`). Recording the
    same term again changes nothing."""
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
        if kind in rules.OFFICE_SEATS:
            overlapping = []
            for other in OfficeTerm.objects.select_for_update().filter(kind=kind):
                same = other.organisation_id == (organisation.pk if organisation else None) and (
                    other.person_name == person_name
                )
                if same and other.start == start:
                    return other
                if not same and rules.terms_overlap(start, end, other.start, other.end):
                    overlapping.append(other)
            if len(overlapping) >= rules.OFFICE_SEATS[kind]:
                raise ValidationError(
                    {
                        "start": f"Art. 11: {overlapping[0]} overlaps the new term "
                        f"{start} to {end or ''}."
                    }
                )
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


def office_terms_succeed(
    *,
    actor: ActorArg,
    kind: str,
    organisations: list[Organisation],
    start: dt.date,
    end: dt.date | None,
    basis: str,
    agenda_item: AgendaItem | None = None,
) -> list[OfficeTerm]:
    """Art. 11: the holders a decision chose take office on `start`, and every term of that
    office still running then ends the day before (`rules.successor_cut`), so that on any
    date at most `rules.OFFICE_SEATS[kind]` cities hold it. The terms are locked while
    they are cut; each cut is audited. Recording the same decision again changes nothing."""
    seats = rules.OFFICE_SEATS[kind]
    if len(organisations) > seats:
        raise ValidationError(
            {"selected": f"Art. 11: {seats} can hold this office, not {len(organisations)}."}
        )
    with transaction.atomic():
        running = list(OfficeTerm.objects.select_for_update().filter(kind=kind))
        by_id = {t.pk: t for t in running}
        try:
            cuts = rules.successor_cut(
                [rules.Term(t.pk, t.organisation_id or 0, t.start, t.end) for t in running],
                start=start,
                holders={o.pk for o in organisations},
            )
        except rules.GovernanceError as exc:
            raise ValidationError({"term_start": str(exc)}) from exc
        for cut in cuts:
            term = by_id[cut.id]
            before = snapshot(term)
            term.end = cut.end
            term.save(update_fields=["end"])
            audit_record(
                actor=actor,
                action="office_term.end",
                target=term,
                before=before,
                after={**snapshot(term), "ended_by": basis},
            )
        return [
            office_term_record(
                actor=actor,
                kind=kind,
                organisation=org,
                start=start,
                end=end,
                basis=basis,
                agenda_item=agenda_item,
            )
            for org in organisations
        ]
