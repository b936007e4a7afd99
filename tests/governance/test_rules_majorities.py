"""Art. 16 majorities as pure functions: boundaries and the printed arithmetic."""

import pytest

from urbis.governance.rules import GovernanceError
from urbis.governance.rules import majorities as m


@pytest.mark.parametrize(
    ("cast", "required"), [(0, 0), (1, 1), (2, 2), (3, 2), (40, 27), (41, 28), (42, 28), (43, 29)]
)
def test_two_thirds_rounds_up(cast, required):
    assert m.two_thirds_required(cast) == required


def test_two_thirds_fails_at_27_of_41_and_passes_at_28():
    fail = m.motion_result(majority=m.TWO_THIRDS, votes_for=27, votes_against=14)
    assert (fail.adopted, fail.required) == (False, 28)
    assert fail.arithmetic == "27 for of 41 votes cast; two thirds = 28; not adopted (Art. 16)"
    ok = m.motion_result(majority=m.TWO_THIRDS, votes_for=28, votes_against=13, votes_abstain=4)
    assert ok.arithmetic == (
        "28 for of 41 votes cast; 4 abstentions; two thirds = 28; adopted (Art. 16)"
    )


def test_simple_majority_ties_fail_and_abstentions_are_not_cast():
    tie = m.motion_result(majority=m.SIMPLE, votes_for=20, votes_against=20, votes_abstain=5)
    assert not tie.adopted
    assert tie.arithmetic == (
        "20 for, 20 against of 40 votes cast; 5 abstentions; simple majority = 21; "
        "not adopted (Art. 16)"
    )
    assert m.motion_result(majority=m.SIMPLE, votes_for=1, votes_against=0).adopted
    assert not m.motion_result(majority=m.SIMPLE, votes_for=0, votes_against=0).adopted


def test_absolute_majority_counts_the_members_present():
    yes = m.motion_result(majority=m.ABSOLUTE, votes_for=23, votes_against=2, present=45)
    assert yes.arithmetic == (
        "23 for of 45 members present; absolute majority = 23; adopted (Art. 16)"
    )
    assert not m.motion_result(
        majority=m.ABSOLUTE, votes_for=22, votes_against=0, present=45
    ).adopted
    assert m.motion_result(majority=m.ABSOLUTE, votes_for=23, votes_against=0, present=44).adopted


def test_majority_comes_from_the_statute_data():
    data = {"approval": "simple", "amendment": "two_thirds"}
    assert m.majority_for(m.decision_kind("approval", amends_statutes=True), data) == "two_thirds"
    assert m.majority_for(m.decision_kind("approval", amends_statutes=False), data) == "simple"
    with pytest.raises(GovernanceError, match="name no majority for a decision of kind 'election'"):
        m.majority_for("election", data)
    with pytest.raises(GovernanceError):
        m.motion_result(majority=m.PLURALITY, votes_for=1, votes_against=0)


def _s(*votes):
    return [m.Standing(i, chr(65 + i), v) for i, v in enumerate(votes)]


def test_plurality_fills_the_seats_and_sends_a_tie_to_a_runoff():
    out = m.election_result(
        majority=m.PLURALITY, seats=2, standings=_s(5, 9, 7, 1), ballots_cast=11
    )
    assert (out.outcome, out.elected, out.runoff) == ("elected", (1, 2), ())
    assert out.arithmetic == (
        "11 ballots cast; B 9, C 7, A 5, D 1; plurality, 2 seats; elected: B, C (Art. 16)"
    )
    tie = m.election_result(majority=m.PLURALITY, seats=2, standings=_s(9, 5, 5), ballots_cast=10)
    assert (tie.outcome, tie.elected, tie.runoff, tie.runoff_seats) == ("runoff", (0,), (1, 2), 1)
    # a candidate without a vote is not elected
    none = m.election_result(majority=m.PLURALITY, seats=2, standings=_s(3, 0), ballots_cast=3)
    assert (none.outcome, none.elected) == ("elected", (0,))


def test_absolute_then_runoff_between_the_first_two():
    first = m.election_result(
        majority=m.ABSOLUTE_THEN_RUNOFF, seats=1, standings=_s(15, 18, 8), ballots_cast=41
    )
    assert (first.outcome, first.elected, first.runoff) == ("runoff", (), (1, 0))
    won = m.election_result(
        majority=m.ABSOLUTE_THEN_RUNOFF, seats=1, standings=_s(21, 20), ballots_cast=41
    )
    assert (won.outcome, won.elected) == ("elected", (0,))
    second = m.election_result(
        majority=m.ABSOLUTE_THEN_RUNOFF,
        seats=1,
        standings=_s(20, 20),
        ballots_cast=41,
        runoff_round=True,
    )
    assert (second.outcome, second.runoff) == ("tie", (0, 1))
