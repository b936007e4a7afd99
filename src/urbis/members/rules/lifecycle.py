"""Membership lifecycle as pure functions (no ORM).

The lifecycle is an event log; the state on any date is the fold of the events up to
that date. A member is approved by an EXCOM decision and the General Assembly reviews
suspensions, terminations and withdrawals. The statutes' membership articles are not among
the articles the project holds (`demo/data/ga6/governance.yaml`); these rules follow the
practice the 6th General Assembly's memorandum records (Annex 1: new memberships,
withdrawals, suspensions and terminations since the 5th Assembly) and the review procedure
of `docs/dues.md`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class State(StrEnum):
    NONE = "none"  # never applied (non-member organisations stay here)
    APPLICANT = "applicant"
    MEMBER = "member"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"
    TERMINATED = "terminated"


class EventKind(StrEnum):
    APPLIED = "applied"
    APPROVED = "approved"
    SUSPENDED = "suspended"
    REINSTATED = "reinstated"
    WITHDRAWAL_ANNOUNCED = "withdrawal_announced"  # intent expressed, formal letter pending
    WITHDRAWN = "withdrawn"
    TERMINATED = "terminated"


STATE_AFTER: dict[EventKind, State | None] = {
    EventKind.APPLIED: State.APPLICANT,
    EventKind.APPROVED: State.MEMBER,
    EventKind.SUSPENDED: State.SUSPENDED,
    EventKind.REINSTATED: State.MEMBER,
    EventKind.WITHDRAWAL_ANNOUNCED: None,  # no change of state until the letter arrives
    EventKind.WITHDRAWN: State.WITHDRAWN,
    EventKind.TERMINATED: State.TERMINATED,
}

ALLOWED: dict[State, frozenset[EventKind]] = {
    # Founding members (2010) were members without an application on record.
    State.NONE: frozenset({EventKind.APPLIED, EventKind.APPROVED}),
    State.APPLICANT: frozenset({EventKind.APPROVED, EventKind.WITHDRAWN}),
    State.MEMBER: frozenset(
        {
            EventKind.SUSPENDED,
            EventKind.WITHDRAWAL_ANNOUNCED,
            EventKind.WITHDRAWN,
            EventKind.TERMINATED,
        }
    ),
    State.SUSPENDED: frozenset(
        {
            EventKind.REINSTATED,
            EventKind.WITHDRAWAL_ANNOUNCED,
            EventKind.WITHDRAWN,
            EventKind.TERMINATED,
        }
    ),
    State.WITHDRAWN: frozenset({EventKind.APPLIED}),
    State.TERMINATED: frozenset({EventKind.APPLIED}),
}

# States in which an organisation is part of the network's membership.
IN_MEMBERSHIP = frozenset({State.MEMBER, State.SUSPENDED})
# States in which a member is in good standing (counts for quorum, votes).
GOOD_STANDING = frozenset({State.MEMBER})


class TransitionError(ValueError):
    """An event that the lifecycle does not allow from the state it meets."""

    def __init__(self, *, state: State, kind: EventKind, on: dt.date) -> None:
        self.state, self.kind, self.on = state, kind, on
        allowed = ", ".join(sorted(k.value for k in ALLOWED[state])) or "nothing"
        super().__init__(
            f"{on.isoformat()}: cannot record '{kind.value}' for an organisation whose state is "
            f"'{state.value}' (allowed: {allowed})"
        )


@dataclass(frozen=True)
class Step:
    on: dt.date
    kind: EventKind


def fold(steps: Iterable[Step]) -> State:
    """The state after `steps` (in order); raises TransitionError on a forbidden step."""
    state = State.NONE
    for step in steps:
        kind = EventKind(step.kind)
        if kind not in ALLOWED[state]:
            raise TransitionError(state=state, kind=kind, on=step.on)
        state = STATE_AFTER[kind] or state
    return state


def state_as_of(steps: Iterable[Step], on: dt.date) -> State:
    """The state on date `on` (events dated `on` included). `steps` must be in order."""
    return fold(s for s in steps if s.on <= on)


def withdrawal_letter_pending(steps: Iterable[Step], on: dt.date) -> bool:
    """True when a withdrawal was announced and no withdrawal followed by date `on`."""
    pending = False
    for step in steps:
        if step.on > on:
            break
        if step.kind == EventKind.WITHDRAWAL_ANNOUNCED:
            pending = True
        elif STATE_AFTER[EventKind(step.kind)] is not None:
            pending = False
    return pending
