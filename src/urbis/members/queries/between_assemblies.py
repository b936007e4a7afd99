"""Membership changes between two General Assemblies: the tables of the memorandum's Annex 1.

New members by year and category, withdrawals, suspensions and terminations with their
reasons, all computed from the lifecycle log. Which date makes a *new* member is explicit:
`basis="approval"` (default: the EXCOM approval, when the organisation becomes a member) or
`basis="application"` (the date of application, as the memorandum's lists print it, for
organisations approved by the end of the period).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

from urbis.common.exports import csv_bytes
from urbis.members.models import MEMBER_CATEGORIES, Category, LifecycleEvent
from urbis.members.rules import EventKind

Basis = Literal["approval", "application"]
BASIS_LABEL = {
    "approval": "date of approval (EXCOM decision)",
    "application": "date of application (organisations approved by the end of the period)",
}
SECTIONS = (
    ("withdrawals", EventKind.WITHDRAWN, "Withdrawal of members"),
    ("suspensions", EventKind.SUSPENDED, "Suspensions"),
    ("terminations", EventKind.TERMINATED, "Termination of members"),
)


@dataclass(frozen=True)
class Entry:
    name: str
    slug: str
    category: str
    category_label: str
    country: str
    date: dt.date
    date_precision: str
    reason: str
    decision_ref: str
    approved_on: dt.date | None = None
    approved_precision: str = ""


@dataclass
class Section:
    key: str
    title: str
    entries: list[Entry] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.entries)

    @property
    def by_category(self) -> dict[str, int]:
        counts = Counter(e.category for e in self.entries)
        return {c.value: counts.get(c.value, 0) for c in MEMBER_CATEGORIES}


@dataclass
class BetweenAssemblies:
    start: dt.date
    end: dt.date
    basis: Basis
    new_members: Section
    withdrawals: Section
    suspensions: Section
    terminations: Section

    @property
    def basis_label(self) -> str:
        return BASIS_LABEL[self.basis]

    @property
    def sections(self) -> list[Section]:
        return [self.new_members, self.withdrawals, self.suspensions, self.terminations]

    @property
    def new_by_year(self) -> list[dict[str, Any]]:
        """[{year, local_government, institution, corporation, total}] in year order."""
        years = sorted({e.date.year for e in self.new_members.entries})
        rows = []
        for year in years:
            counts = Counter(e.category for e in self.new_members.entries if e.date.year == year)
            row: dict[str, Any] = {"year": year}
            row.update({c.value: counts.get(c.value, 0) for c in MEMBER_CATEGORIES})
            row["total"] = sum(counts.values())
            rows.append(row)
        return rows


def _entry(event: LifecycleEvent, approved: LifecycleEvent | None = None) -> Entry:
    org = event.organisation
    return Entry(
        name=org.name,
        slug=org.slug,
        category=org.category,
        category_label=Category(org.category).label,
        country=str(org.country or ""),
        date=event.date,
        date_precision=event.date_precision,
        reason=event.reason,
        decision_ref=event.decision_ref,
        approved_on=approved.date if approved else None,
        approved_precision=approved.date_precision if approved else "",
    )


def between_assemblies(
    *, start: dt.date | None, end: dt.date, basis: Basis = "approval"
) -> BetweenAssemblies:
    """The Annex 1 tables for events dated from `start` to `end` inclusive (two queries).

    `start=None` is the first assembly's case (no earlier one to count from): the period
    opens on the registry's first recorded event, so that the report prints a real date."""
    if basis not in BASIS_LABEL:
        raise ValueError(f"basis must be one of {', '.join(BASIS_LABEL)}")
    kinds = [EventKind.APPLIED, EventKind.APPROVED, *(k for _, k, _ in SECTIONS)]
    events = list(
        LifecycleEvent.objects.filter(
            organisation__category__in=MEMBER_CATEGORIES, kind__in=kinds, date__lte=end
        )
        .select_related("organisation")
        .order_by("organisation__name", "date", "id")
    )
    approvals: dict[int, list[LifecycleEvent]] = {}
    for e in events:
        if e.kind == EventKind.APPROVED:
            approvals.setdefault(e.organisation_id, []).append(e)

    def last_approval(e: LifecycleEvent) -> LifecycleEvent | None:
        earlier = [a for a in approvals.get(e.organisation_id, []) if a.date <= e.date]
        return earlier[-1] if earlier else None

    if start is None:
        start = min((e.date for e in events), default=end)
    in_period = [e for e in events if e.date >= start]
    new = Section("new_members", "New members")
    if basis == "approval":
        new.entries = [_entry(e) for e in in_period if e.kind == EventKind.APPROVED]
    else:
        new.entries = [
            _entry(e, approvals[e.organisation_id][-1])
            for e in in_period
            if e.kind == EventKind.APPLIED
            and any(a.date >= e.date for a in approvals.get(e.organisation_id, []))
        ]
    sections = {}
    for key, kind, title in SECTIONS:
        sections[key] = Section(
            key,
            title,
            [_entry(e, last_approval(e)) for e in in_period if e.kind == kind],
        )
    order = {c.value: n for n, c in enumerate(MEMBER_CATEGORIES)}
    for section in [new, *sections.values()]:
        section.entries.sort(key=lambda x: (order.get(x.category, 9), x.date, x.name))
    return BetweenAssemblies(start=start, end=end, basis=basis, new_members=new, **sections)


CSV_COLUMNS = (
    "section",
    "name",
    "category",
    "country",
    "date",
    "reason",
    "decision_ref",
    "approved_on",
)


def between_assemblies_csv(report: BetweenAssemblies) -> str:
    """The report as CSV; names and reasons are written inert (`urbis.common.exports`)."""
    rows = [
        [
            section.key,
            e.name,
            e.category,
            e.country,
            e.date.isoformat(),
            e.reason,
            e.decision_ref,
            e.approved_on.isoformat() if e.approved_on else "",
        ]
        for section in report.sections
        for e in section.entries
    ]
    return csv_bytes(CSV_COLUMNS, rows).decode("utf-8")
