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

    @property
    def missing(self) -> int:
        """How many more members must be present for the quorum (0 once it is met)."""
        return max(self.required - self.present, 0)


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


# --- The lifecycle of a meeting ------------------------------------------------------------

MEETING_NEXT: dict[str, str] = {
    "draft": "convened",
    "convened": "in_session",
    "in_session": "concluded",
    "concluded": "minutes_approved",
    "minutes_approved": "published",
}
"""draft → convened → in session → concluded → minutes approved → published: one step at a
time, never back (what is concluded is corrected by errata, not reopened)."""

MEETING_ORDER = ["draft", *MEETING_NEXT.values()]

CLOSED_STATUSES = frozenset({"concluded", "minutes_approved", "published"})
"""After conclusion, attendance, votes and decisions are the record: read-only."""


class MeetingClosed(GovernanceError):
    """A write to the record of a concluded meeting."""


def check_transition(current: str, target: str) -> None:
    """A meeting moves one step forward along `MEETING_NEXT`, never back nor skipping."""
    if MEETING_NEXT.get(current) != target:
        raise GovernanceError(
            f"A meeting that is {current.replace('_', ' ')} cannot become "
            f"{target.replace('_', ' ')}"
            + (
                f"; its next step is {MEETING_NEXT[current].replace('_', ' ')}."
                if current in MEETING_NEXT
                else ": its lifecycle is complete."
            )
        )


def check_open(status: str, title: str) -> None:
    """Attendance, votes, decisions and the agenda change only until the meeting concludes."""
    if status in CLOSED_STATUSES:
        raise MeetingClosed(
            f"{title} is concluded: its attendance, votes and decisions are read-only. "
            "Record an erratum to correct them."
        )


def check_convocation(convocation: dt.date, meeting_on: dt.date) -> None:
    """The electorate is fixed on the convocation date, which precedes the meeting."""
    if convocation > meeting_on:
        raise GovernanceError(
            f"The convocation ({convocation}) cannot come after the meeting ({meeting_on})."
        )


def check_minutes_approval(*, meeting_on: dt.date, approving_meeting_on: dt.date) -> None:
    """The minutes are approved by a later decision of the Assembly or the EXCOM."""
    if approving_meeting_on <= meeting_on:
        raise GovernanceError(
            f"The minutes of the meeting of {meeting_on} are approved by a later meeting, "
            f"not one of {approving_meeting_on}."
        )


# --- Who is who at a meeting (Art. 16(2) and the registry) ---------------------------------

VOTING, MEMBER, OBSERVER = "voting", "member", "observer"


@dataclass(frozen=True)
class AttendeeRoles:
    """Statute data: who counts for the quorum and votes, who attends as a member without
    counting, and (everyone else) who attends as an observer."""

    counted_categories: frozenset[str]
    counted_states: frozenset[str]
    member_categories: frozenset[str]
    member_states: frozenset[str]


def attendee_role(category: str, state: str, roles: AttendeeRoles) -> str:
    """Art. 16(2): a member that counts (category and state named by the statute data) votes
    and counts for the quorum; another member (a member category in a member state) attends
    without counting; any other organisation — non-member, embassy, partner, a member no
    longer in a member state — is an observer and never enters a count of members."""
    if category in roles.counted_categories and state in roles.counted_states:
        return VOTING
    categories = roles.counted_categories | roles.member_categories
    states = roles.counted_states | roles.member_states
    if category in categories and state in states:
        return MEMBER
    return OBSERVER


# --- Offices follow the decisions ----------------------------------------------------------

OFFICE_SEATS: dict[str, int] = {
    "president_city": 1,
    "evp_city": 1,
    "vp_city": 2,
    "secretary_general": 1,
}
"""Art. 11(2): one President City, one Executive Vice President City, two Vice President
Cities; one Secretary General. At most this many hold the office on any date."""


@dataclass(frozen=True)
class Term:
    id: int
    holder: int
    start: dt.date
    end: dt.date | None


def successor_cut(existing: Iterable[Term], *, start: dt.date, holders: set[int]) -> list[Term]:
    """The terms a decision ends. Art. 11: an election, appointment or host selection whose
    new terms start on `start` ends every term of that office still running on `start` the
    day before (the predecessor serves until the successor takes office; a holder chosen
    again starts a new term too). Returns those terms with their new end. A term of that
    office beginning on or after `start` (other than the very term being recorded again)
    cannot be cut: it is refused, since the record would contradict itself."""
    cut: list[Term] = []
    for term in existing:
        if not terms_overlap(term.start, term.end, start, None):
            continue
        if term.start == start and term.holder in holders:
            continue  # the same decision recorded again
        if term.start >= start:
            raise GovernanceError(
                f"A term beginning on {term.start} is already recorded; a new term from "
                f"{start} cannot precede it."
            )
        cut.append(Term(term.id, term.holder, term.start, start - dt.timedelta(days=1)))
    return cut


@dataclass(frozen=True)
class Arrival:
    """One delegate of a member checked in: whether the head of delegation, how, when."""

    head: bool
    mode: str
    at: dt.datetime


def representative(arrivals: list[Arrival]) -> int:
    """Which delegate represents a member (index into `arrivals`): its head of delegation when
    checked in, otherwise the first to arrive (ties: the first listed)."""
    if not arrivals:
        raise GovernanceError("A member with no delegate checked in is not represented.")
    heads = [i for i, a in enumerate(arrivals) if a.head]
    pool = heads or range(len(arrivals))
    return min(pool, key=lambda i: (arrivals[i].at, i))


def attendance_mode(modes: Iterable[str]) -> str:
    """On-site wins over online: a member is on site when any of its delegates is."""
    modes = list(modes)
    return "on_site" if "on_site" in modes or not modes else "online"
