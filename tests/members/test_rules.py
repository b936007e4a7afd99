import datetime as dt

import pytest

from urbis.members import rules
from urbis.members.rules import EventKind, State, Step

D = dt.date


def steps(*pairs):
    return [Step(on=on, kind=EventKind(kind)) for on, kind in pairs]


def test_empty_log_is_none():
    assert rules.fold([]) == State.NONE


def test_full_lifecycle_folds_to_each_state():
    log = steps(
        (D(2019, 3, 1), "applied"),
        (D(2019, 6, 1), "approved"),
        (D(2021, 1, 1), "suspended"),
        (D(2022, 1, 1), "reinstated"),
        (D(2023, 9, 26), "terminated"),
    )
    assert rules.state_as_of(log, D(2019, 2, 28)) == State.NONE
    assert rules.state_as_of(log, D(2019, 3, 1)) == State.APPLICANT
    assert rules.state_as_of(log, D(2019, 5, 31)) == State.APPLICANT
    assert rules.state_as_of(log, D(2019, 6, 1)) == State.MEMBER
    assert rules.state_as_of(log, D(2021, 6, 1)) == State.SUSPENDED
    assert rules.state_as_of(log, D(2022, 1, 1)) == State.MEMBER
    assert rules.state_as_of(log, D(2023, 9, 25)) == State.MEMBER
    assert rules.state_as_of(log, D(2023, 9, 26)) == State.TERMINATED


def test_founding_member_approved_without_application():
    assert rules.fold(steps((D(2010, 9, 1), "approved"))) == State.MEMBER


@pytest.mark.parametrize(
    "log, message",
    [
        ([(D(2020, 1, 1), "suspended")], "cannot record 'suspended'"),
        ([(D(2020, 1, 1), "applied"), (D(2020, 2, 1), "suspended")], "state is 'applicant'"),
        ([(D(2020, 1, 1), "approved"), (D(2020, 2, 1), "reinstated")], "state is 'member'"),
        (
            [
                (D(2020, 1, 1), "approved"),
                (D(2020, 2, 1), "terminated"),
                (D(2020, 3, 1), "approved"),
            ],
            "state is 'terminated'",
        ),
    ],
)
def test_forbidden_transitions_are_named(log, message):
    with pytest.raises(rules.TransitionError, match=message):
        rules.fold(steps(*log))


def test_withdrawal_announcement_keeps_state_and_marks_letter_pending():
    log = steps((D(2015, 1, 1), "approved"), (D(2023, 5, 1), "withdrawal_announced"))
    assert rules.fold(log) == State.MEMBER
    assert rules.withdrawal_letter_pending(log, D(2023, 4, 30)) is False
    assert rules.withdrawal_letter_pending(log, D(2023, 5, 1)) is True


def test_withdrawal_letter_received_clears_pending():
    log = steps(
        (D(2015, 1, 1), "approved"),
        (D(2023, 5, 1), "withdrawal_announced"),
        (D(2023, 6, 1), "withdrawn"),
    )
    assert rules.fold(log) == State.WITHDRAWN
    assert rules.withdrawal_letter_pending(log, D(2023, 7, 1)) is False


def test_rejoining_after_withdrawal():
    log = steps(
        (D(2012, 1, 1), "approved"),
        (D(2016, 1, 1), "withdrawn"),
        (D(2020, 1, 1), "applied"),
        (D(2020, 3, 1), "approved"),
    )
    assert rules.fold(log) == State.MEMBER
