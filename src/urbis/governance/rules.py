"""Statute rules of governance as pure functions (no ORM); each cites its article."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass


class GovernanceError(ValueError):
    """A decision or appointment that the statutes do not allow."""


@dataclass(frozen=True)
class QuorumFraction:
    """Art. 16(2): the fraction of the counted members whose attendance is required."""

    numerator: int
    denominator: int
    counted_categories: frozenset[str]
    counted_states: frozenset[str]
    article: str = "16(2)"


@dataclass(frozen=True)
class QuorumState:
    present: int
    eligible: int
    required: int
    met: bool
    population: int = 0
    numerator: int = 1
    denominator: int = 4


def quorum_required(eligible: int, numerator: int, denominator: int) -> int:
    """Art. 16(2): decisions need the attendance of ``numerator/denominator`` or more of the
    members that count, i.e. ceil(eligible * fraction) (integer arithmetic, no rounding error)."""
    if eligible < 0 or denominator <= 0 or numerator < 0:
        raise GovernanceError("Quorum needs eligible ≥ 0 and a positive denominator.")
    return -(-eligible * numerator // denominator)


def counts_for_quorum(category: str, state: str, rule: QuorumFraction) -> bool:
    """Art. 16(2) as configured: a member counts if its category and its membership state on
    the convocation date are among those the statute data names (seed: local governments in
    good standing; corporations attend as non-quorum members)."""
    return category in rule.counted_categories and state in rule.counted_states


def quorum_state(
    *, present: int, eligible: int, rule: QuorumFraction, population: int = 0
) -> QuorumState:
    """Art. 16(2): the quorum is met when the counted members present reach the requirement."""
    required = quorum_required(eligible, rule.numerator, rule.denominator)
    return QuorumState(
        present=present,
        eligible=eligible,
        required=required,
        met=present >= required,
        population=population,
        numerator=rule.numerator,
        denominator=rule.denominator,
    )


@dataclass(frozen=True)
class Tally:
    votes_for: int = 0
    votes_against: int = 0
    votes_abstain: int = 0


def tally(choices: Iterable[str]) -> Tally:
    counts = {"for": 0, "against": 0, "abstain": 0}
    for choice in choices:
        counts[choice] += 1
    return Tally(counts["for"], counts["against"], counts["abstain"])


def decision_result(*, kind: str, method: str, votes: Tally, quorum: QuorumState) -> str:
    """Art. 16(2): nothing is adopted without the quorum. A report is noted; a decision by
    consensus is adopted; a counted vote is adopted by a majority of the votes cast for or
    against (abstentions are not cast). Returns 'noted', 'adopted' or 'rejected'; raises
    GovernanceError when the quorum is not met for an item that needs a decision."""
    if kind == "report":
        return "noted"
    if not quorum.met:
        raise GovernanceError(
            f"Quorum not met (Art. 16(2)): {quorum.present} present, "
            f"{quorum.required} required of {quorum.eligible} eligible members; "
            "the item cannot be adopted."
        )
    if method == "consensus":
        return "adopted"
    return "adopted" if votes.votes_for > votes.votes_against else "rejected"


@dataclass(frozen=True)
class Appointment:
    office: str
    organisation_id: int
    start: dt.date
    end: dt.date | None
    basis: str


def next_host_becomes_evp(
    *, host_organisation_id: int, term_start: dt.date, term_end: dt.date | None
) -> Appointment:
    """Art. 11(4): "The next host city of the General Assembly will automatically be
    appointed as the executive vice president city" — for the term of the selection."""
    return Appointment(
        office="evp_city",
        organisation_id=host_organisation_id,
        start=term_start,
        end=term_end,
        basis="Art. 11(4): next host city of the General Assembly",
    )


VICE_PRESIDENTS = 2  # Art. 11(2)


def check_vice_presidents(count: int) -> None:
    """Art. 11(2): "The vice president cities shall consist of an executive vice president
    city and two (2) vice president cities." An appointment names exactly two."""
    if count != VICE_PRESIDENTS:
        raise GovernanceError(
            f"Art. 11(2): exactly {VICE_PRESIDENTS} Vice President Cities are appointed, "
            f"not {count}."
        )


def check_call_before_election(call_on: dt.date | None, meeting_on: dt.date) -> None:
    """Art. 12: EXCOM members are elected from a slate after a dated call for candidates."""
    if call_on is None:
        raise GovernanceError("Art. 12: an EXCOM election needs the date of the call.")
    if call_on >= meeting_on:
        raise GovernanceError(
            f"Art. 12: the call for candidates ({call_on}) must precede the meeting ({meeting_on})."
        )


_MAYORAL = re.compile(
    r"\b(mayor|governor|head of municipality|lord mayor|city mayor|chief executive)\b", re.I
)


def mayoral_from_position(position: str) -> bool:
    """The mayoral-level flag as derived from a position title (mayor, vice/deputy mayor,
    governor, head of municipality). The registrar may override it per delegate: the seed
    counts some city secretaries as mayoral-level representatives."""
    return bool(_MAYORAL.search(position or ""))


def terms_overlap(
    a_start: dt.date, a_end: dt.date | None, b_start: dt.date, b_end: dt.date | None
) -> bool:
    """Two inclusive terms overlap (an open end runs forever)."""
    far = dt.date.max
    return a_start <= (b_end or far) and b_start <= (a_end or far)


SINGLE_HOLDER_OFFICES = frozenset({"president_city", "evp_city", "secretary_general"})
"""Art. 11: one President City, one Executive Vice President City; one Secretary General."""
