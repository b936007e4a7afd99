"""Statute rules of the members app as pure functions (no ORM); lifecycle in lifecycle.py."""

from urbis.members.rules.lifecycle import (
    ALLOWED,
    GOOD_STANDING,
    IN_MEMBERSHIP,
    STATE_AFTER,
    EventKind,
    State,
    Step,
    TransitionError,
    fold,
    state_as_of,
    withdrawal_letter_pending,
)

__all__ = [
    "ALLOWED",
    "GOOD_STANDING",
    "IN_MEMBERSHIP",
    "STATE_AFTER",
    "EventKind",
    "State",
    "Step",
    "TransitionError",
    "fold",
    "state_as_of",
    "withdrawal_letter_pending",
]
