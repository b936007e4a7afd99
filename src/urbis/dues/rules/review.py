"""The membership status review as pure functions over review rules (no ORM).

The memorandum of the 6th General Assembly (Annex 1) applies these rules: local
governments with no participation in the network's activities and no membership payment for
more than 3 years are suspended; corporations with none for 2 years or more are terminated,
as are entities that no longer exist and a corporation whose withdrawal letter is pending.
The rules themselves are data (`data/review_rules.yaml`); this module evaluates them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from urbis.members.rules.lifecycle import ALLOWED, EventKind, State

ANY_CATEGORY = "*"


class When(StrEnum):
    INACTIVE = "inactive"
    FLAG = "flag"
    WITHDRAWAL_LETTER_PENDING = "withdrawal_letter_pending"


class Comparison(StrEnum):
    MORE_THAN = "more_than"
    AT_LEAST = "at_least"


@dataclass(frozen=True)
class ReviewRule:
    code: str
    category: str
    when: When
    propose: EventKind
    reason: str
    from_states: frozenset[State]
    years: int = 0
    comparison: Comparison = Comparison.AT_LEAST
    flag: str = ""

    def applies_to(self, category: str, state: State) -> bool:
        return self.category in (category, ANY_CATEGORY) and state in self.from_states


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def whole_years(start: dt.date, end: dt.date) -> int:
    """Completed years from `start` to `end` (0 when end is before a year has passed)."""
    years = end.year - start.year
    if add_years(start, years) > end:
        years -= 1
    return max(years, 0)


def inactivity_cutoff(rule: ReviewRule, as_of: dt.date) -> dt.date:
    """The latest date of last activity that makes a member inactive under `rule`."""
    edge = add_years(as_of, -rule.years)
    return edge - dt.timedelta(days=1) if rule.comparison == Comparison.MORE_THAN else edge


@dataclass(frozen=True)
class MemberFacts:
    """What the review knows about one member on the review date."""

    organisation_id: int
    name: str
    category: str
    state: State
    member_since: dt.date | None
    last_payment: dt.date | None
    last_participation: dt.date | None
    withdrawal_letter_pending: bool = False
    flags: frozenset[str] = field(default_factory=frozenset)

    @property
    def last_activity(self) -> dt.date | None:
        """The later of the last payment and the last participation."""
        dates = [d for d in (self.last_payment, self.last_participation) if d is not None]
        return max(dates) if dates else None

    @property
    def inactive_since(self) -> dt.date | None:
        """Last activity, or the start of membership when nothing is on record."""
        return self.last_activity or self.member_since


@dataclass(frozen=True)
class Proposal:
    organisation_id: int
    name: str
    category: str
    state: State
    propose: EventKind
    rule: str
    reason: str
    evidence: dict[str, Any]


def evaluate(facts: MemberFacts, rules: Sequence[ReviewRule], as_of: dt.date) -> Proposal | None:
    """The proposal of the first rule that matches the member, or None (Annex 1)."""
    since = facts.inactive_since
    years = whole_years(since, as_of) if since else 0
    for rule in rules:
        if not rule.applies_to(facts.category, facts.state):
            continue
        if rule.propose not in ALLOWED[facts.state]:
            continue
        if rule.when == When.FLAG:
            hit = rule.flag in facts.flags
        elif rule.when == When.WITHDRAWAL_LETTER_PENDING:
            hit = facts.withdrawal_letter_pending
        else:
            hit = since is not None and since <= inactivity_cutoff(rule, as_of)
        if hit:
            return Proposal(
                organisation_id=facts.organisation_id,
                name=facts.name,
                category=facts.category,
                state=facts.state,
                propose=rule.propose,
                rule=rule.code,
                reason=rule.reason.format(years=years, threshold=rule.years),
                evidence={
                    "as_of": as_of.isoformat(),
                    "member_since": _iso(facts.member_since),
                    "last_payment": _iso(facts.last_payment),
                    "last_participation": _iso(facts.last_participation),
                    "years_without_activity": years if since else None,
                    "withdrawal_letter_pending": facts.withdrawal_letter_pending,
                    "flags": sorted(facts.flags),
                },
            )
    return None


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def rules_from_data(data: Mapping[str, Any]) -> list[ReviewRule]:
    """Parse the rules document; errors name the rule and the field."""
    out: list[ReviewRule] = []
    for n, item in enumerate(data.get("rules") or [], start=1):
        where = f"rule {n} ({item.get('code', '?')})"
        try:
            when = When(item.get("when"))
            propose = EventKind(item.get("propose"))
            states = frozenset(State(s) for s in item.get("from_states") or ["member"])
            comparison = Comparison(item.get("comparison", Comparison.AT_LEAST))
        except ValueError as exc:
            raise ValueError(f"{where}: {exc}") from exc
        years = int(item.get("years", 0))
        if when == When.INACTIVE and years <= 0:
            raise ValueError(f"{where}: years: an inactivity rule needs a positive number")
        if when == When.FLAG and not item.get("flag"):
            raise ValueError(f"{where}: flag: required for a flag rule")
        out.append(
            ReviewRule(
                code=str(item.get("code", f"rule-{n}")),
                category=str(item.get("category", ANY_CATEGORY)),
                when=when,
                propose=propose,
                reason=str(item.get("reason", "")),
                from_states=states,
                years=years,
                comparison=comparison,
                flag=str(item.get("flag", "")),
            )
        )
    return out
