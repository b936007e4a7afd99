import datetime as dt

import pytest

from urbis.governance import rules

QUARTER = rules.QuorumFraction(1, 4, frozenset({"local_government"}), frozenset({"member"}))


@pytest.mark.parametrize(
    ("eligible", "required"),
    [(160, 40), (161, 41), (162, 41), (163, 41), (164, 41), (165, 42)],
)
def test_quorum_is_the_ceiling_of_a_quarter(eligible, required):
    assert rules.quorum_required(eligible, 1, 4) == required


def test_quorum_boundary_met_and_not_met():
    assert rules.quorum_state(present=41, eligible=163, rule=QUARTER).met is True
    assert rules.quorum_state(present=40, eligible=163, rule=QUARTER).met is False
    state = rules.quorum_state(present=45, eligible=163, rule=QUARTER, population=7)
    assert state == rules.QuorumState(present=45, eligible=163, required=41, met=True, population=7)


def test_quorum_of_nobody_is_zero():
    assert rules.quorum_required(0, 1, 4) == 0


def test_corporations_do_not_count():
    assert rules.counts_for_quorum("local_government", "member", QUARTER)
    assert not rules.counts_for_quorum("corporation", "member", QUARTER)
    assert not rules.counts_for_quorum("local_government", "suspended", QUARTER)


def test_no_adoption_without_quorum():
    lost = rules.QuorumState(present=40, eligible=163, required=41, met=False)
    with pytest.raises(rules.GovernanceError, match=r"40 present, 41 required of 163"):
        rules.decision_result(kind="approval", method="consensus", votes=rules.Tally(), quorum=lost)
    assert (
        rules.decision_result(kind="report", method="consensus", votes=rules.Tally(), quorum=lost)
        == "noted"
    )


def test_majority_of_votes_cast():
    ok = rules.QuorumState(present=41, eligible=163, required=41, met=True)
    assert (
        rules.decision_result(
            kind="approval", method="roll_call", votes=rules.Tally(3, 2, 10), quorum=ok
        )
        == "adopted"
    )
    assert (
        rules.decision_result(
            kind="approval", method="roll_call", votes=rules.Tally(2, 2, 0), quorum=ok
        )
        == "rejected"
    )


def test_art_11_4_next_host_becomes_evp():
    a = rules.next_host_becomes_evp(
        host_organisation_id=7, term_start=dt.date(2023, 9, 26), term_end=dt.date(2026, 9, 30)
    )
    assert (a.office, a.organisation_id, a.start, a.end) == (
        "evp_city",
        7,
        dt.date(2023, 9, 26),
        dt.date(2026, 9, 30),
    )
    assert "11(4)" in a.basis


def test_art_11_2_two_vice_presidents():
    rules.check_vice_presidents(2)
    with pytest.raises(rules.GovernanceError, match=r"exactly 2"):
        rules.check_vice_presidents(3)


def test_mayoral_from_position():
    assert rules.mayoral_from_position("Vice Mayor")
    assert rules.mayoral_from_position("Deputy Mayor")
    assert rules.mayoral_from_position("Governor")
    assert rules.mayoral_from_position("Head of Municipality")
    assert not rules.mayoral_from_position("Head of the Digitalization Department")
    assert not rules.mayoral_from_position("City Secretary")


def test_call_must_precede_election():
    rules.check_call_before_election(dt.date(2023, 6, 30), dt.date(2023, 9, 26))
    with pytest.raises(rules.GovernanceError, match=r"Art. 12"):
        rules.check_call_before_election(None, dt.date(2023, 9, 26))
