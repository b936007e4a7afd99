"""Art. 16 (decisions): the majorities a vote needs, and what a poll's count decides.

Which majority each kind of decision needs is statute data (`QuorumRule.majorities`, with
the article it cites); these functions only apply it. Votes cast are the votes for and
against: an abstention is not cast. Every outcome carries the arithmetic the memorandum
prints ("31 for of 41 votes cast; two thirds = 28; adopted").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from urbis.governance.rules import GovernanceError

SIMPLE = "simple"
ABSOLUTE = "absolute"
TWO_THIRDS = "two_thirds"
PLURALITY = "plurality"
ABSOLUTE_THEN_RUNOFF = "absolute_then_runoff"

MAJORITIES: dict[str, str | Promise] = {
    SIMPLE: _("simple majority of the votes cast"),
    ABSOLUTE: _("absolute majority of the members present"),
    TWO_THIRDS: _("two thirds of the votes cast"),
    PLURALITY: _("plurality (the most votes fill the seats)"),
    ABSOLUTE_THEN_RUNOFF: _("absolute majority of the votes cast, else a run-off of the first two"),
}
"""The majorities the statute data may name, with the words the memorandum uses."""

DECISION_KINDS = ("approval", "appointment", "amendment", "election", "selection")


def decision_kind(item_kind: str, *, amends_statutes: bool) -> str:
    """The kind of decision an agenda item asks for: an approval that amends the statutes is
    an amendment (Art. 16: its own majority); a report asks for none."""
    if item_kind == "approval" and amends_statutes:
        return "amendment"
    return item_kind


def majority_for(kind: str, majorities: Mapping[str, str]) -> str:
    """Art. 16 as configured: the majority the statute data names for a kind of decision."""
    majority = majorities.get(kind)
    if majority not in MAJORITIES:
        raise GovernanceError(
            f"The statutes in force name no majority for a decision of kind '{kind}'."
        )
    return majority


def simple_required(cast: int) -> int:
    """More for than against: half of the votes cast, plus one (rounded down)."""
    return cast // 2 + 1


def absolute_required(present: int) -> int:
    """More than half of the members present."""
    return present // 2 + 1


def two_thirds_required(cast: int) -> int:
    """Two thirds of the votes cast, rounded up (integer arithmetic: ⌈2 * cast / 3⌉)."""
    return -(-2 * cast // 3)


@dataclass(frozen=True)
class MotionOutcome:
    adopted: bool
    required: int
    arithmetic: str


def _abstentions(n: int) -> str:
    return f"; {n} abstention{'s' if n != 1 else ''}" if n else ""


def motion_result(
    *,
    majority: str,
    votes_for: int,
    votes_against: int,
    votes_abstain: int = 0,
    present: int = 0,
    article: str = "16",
) -> MotionOutcome:
    """Art. 16: whether a motion is adopted under the majority the statutes name for it.

    simple: more for than against; two thirds: at least ⌈2/3⌉ of the votes cast for;
    absolute: more than half of the members present for (abstaining and silent members
    count against the motion)."""
    if min(votes_for, votes_against, votes_abstain, present) < 0:
        raise GovernanceError("Vote counts cannot be negative.")
    cast = votes_for + votes_against
    if majority == SIMPLE:
        required = simple_required(cast)
        head = f"{votes_for} for, {votes_against} against of {cast} votes cast"
        rule = f"simple majority = {required}"
    elif majority == TWO_THIRDS:
        required = two_thirds_required(cast)
        head = f"{votes_for} for of {cast} votes cast"
        rule = f"two thirds = {required}"
    elif majority == ABSOLUTE:
        required = absolute_required(present)
        head = f"{votes_for} for of {present} members present"
        rule = f"absolute majority = {required}"
    else:
        raise GovernanceError(f"A motion is not decided by {MAJORITIES.get(majority, majority)}.")
    adopted = cast > 0 and votes_for >= required
    text = (
        f"{head}{_abstentions(votes_abstain)}; {rule}; "
        f"{'adopted' if adopted else 'not adopted'} (Art. {article})"
    )
    return MotionOutcome(adopted, required, text)


@dataclass(frozen=True)
class Standing:
    """One candidate or bid and its votes; `key` is what the caller knows it by."""

    key: int
    label: str
    votes: int


ELECTED, RUNOFF, TIE = "elected", "runoff", "tie"


@dataclass(frozen=True)
class ElectionOutcome:
    """`elected`: the keys that won seats (best first); `runoff`: the keys of the next round
    (when `outcome` is runoff), for `runoff_seats` seats still open."""

    outcome: str
    elected: tuple[int, ...]
    runoff: tuple[int, ...]
    runoff_seats: int
    arithmetic: str


def _ranked(standings: Sequence[Standing]) -> list[Standing]:
    return sorted(standings, key=lambda s: -s.votes)


def _listing(standings: Sequence[Standing]) -> str:
    return ", ".join(f"{s.label} {s.votes}" for s in standings)


def election_result(
    *,
    majority: str,
    seats: int,
    standings: Sequence[Standing],
    ballots_cast: int,
    runoff_round: bool = False,
    article: str = "16",
) -> ElectionOutcome:
    """Art. 16: who an election or a selection chose.

    plurality (and any run-off round): the `seats` candidates with the most votes (at least
    one each) win; candidates tied for the last seat go to a run-off for the seats left.
    absolute_then_runoff (first round): a candidate needs more than half of the ballots
    cast; seats left open go to a run-off between the next best, two per seat left (and
    anyone tied with the last of them)."""
    if seats < 1:
        raise GovernanceError("An election fills at least one seat.")
    if majority not in (PLURALITY, ABSOLUTE_THEN_RUNOFF):
        raise GovernanceError(
            f"An election is not decided by {MAJORITIES.get(majority, majority)}."
        )
    ranked = _ranked(standings)
    head = f"{ballots_cast} ballots cast; {_listing(ranked)}"
    if majority == ABSOLUTE_THEN_RUNOFF and not runoff_round:
        required = ballots_cast // 2 + 1
        winners = [s for s in ranked if s.votes >= required][:seats]
        left = seats - len(winners)
        if not left:
            return ElectionOutcome(
                ELECTED,
                tuple(s.key for s in winners),
                (),
                0,
                f"{head}; absolute majority = {required}; elected: "
                f"{', '.join(s.label for s in winners)} (Art. {article})",
            )
        rest = [s for s in ranked if s not in winners and s.votes > 0]
        take = rest[: 2 * left]
        if take:
            take += [s for s in rest[len(take) :] if s.votes == take[-1].votes]
        if len(take) <= left:  # nobody to run against: those left are elected
            elected = tuple(s.key for s in winners + take)
            return ElectionOutcome(
                ELECTED,
                elected,
                (),
                0,
                f"{head}; absolute majority = {required}; elected: "
                f"{', '.join(s.label for s in winners + take)} (Art. {article})",
            )
        won = f"elected: {', '.join(s.label for s in winners)}; " if winners else ""
        return ElectionOutcome(
            RUNOFF,
            tuple(s.key for s in winners),
            tuple(s.key for s in take),
            left,
            f"{head}; absolute majority = {required}; {won}no absolute majority for "
            f"{'the seat' if left == 1 else f'{left} seats'}: run-off between "
            f"{', '.join(s.label for s in take)} (Art. {article})",
        )
    voted = [s for s in ranked if s.votes > 0]
    if len(voted) <= seats:
        winners, tied = voted, []
    else:
        cut = voted[seats - 1].votes
        winners = [s for s in voted if s.votes > cut]
        tied = [s for s in voted if s.votes == cut]
        if len(winners) + len(tied) <= seats:
            winners, tied = winners + tied, []
    rule = "plurality" + (" (run-off)" if runoff_round else "")
    if not tied:
        return ElectionOutcome(
            ELECTED,
            tuple(s.key for s in winners),
            (),
            0,
            f"{head}; {rule}, {seats} seat{'s' if seats != 1 else ''}; elected: "
            f"{', '.join(s.label for s in winners) or 'none'} (Art. {article})",
        )
    left = seats - len(winners)
    won = f"elected: {', '.join(s.label for s in winners)}; " if winners else ""
    return ElectionOutcome(
        TIE if runoff_round and len(tied) == len(standings) else RUNOFF,
        tuple(s.key for s in winners),
        tuple(s.key for s in tied),
        left,
        f"{head}; {rule}, {seats} seat{'s' if seats != 1 else ''}; {won}tie at "
        f"{tied[0].votes} votes between {', '.join(s.label for s in tied)} for "
        f"{'the last seat' if left == 1 else f'the last {left} seats'}: run-off "
        f"(Art. {article})",
    )
