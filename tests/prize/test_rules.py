import datetime as dt

import pytest

from urbis.prize import rules

CALL = {"call_opens": dt.date(2023, 3, 1), "call_closes": dt.date(2023, 7, 31)}


def _candidate(**overrides):
    values = {
        "applicant_kind": "city",
        "applicant_name": "Odense",
        "title": "LEAP",
        "summary": "Digital citizen involvement.",
        "country": "DK",
        "city": "Odense",
        "category_code": "human-centricity",
        "category_name": "Human-CentriCity",
        "category_kinds": ("city", "corporation", "institution"),
    }
    values.update(overrides)
    return rules.Candidate(**values)


def test_eligible_application_has_no_errors():
    assert rules.eligibility_errors(_candidate(), on=dt.date(2023, 5, 1), **CALL) == {}


def test_individual_refused_outside_leadership():
    errors = rules.eligibility_errors(
        _candidate(applicant_kind="individual"), on=dt.date(2023, 5, 1), **CALL
    )
    assert errors == {
        "applicant_kind": "Individuals may apply only in Leadership, not in Human-CentriCity."
    }


def test_individual_admitted_in_leadership():
    leadership = _candidate(
        applicant_kind="individual",
        category_code="leadership",
        category_name="Leadership",
        category_kinds=("individual",),
        city="",
    )
    assert rules.eligibility_errors(leadership, on=dt.date(2023, 5, 1), **CALL) == {}


def test_missing_fields_and_call_period_named():
    errors = rules.eligibility_errors(
        _candidate(title=" ", city=""), on=dt.date(2023, 8, 1), **CALL
    )
    assert errors == {
        "title": "This field is required.",
        "city": "A city applies with its city named.",
        "submitted_at": "The call closed on 2023-07-31.",
    }
    early = rules.eligibility_errors(_candidate(), on=dt.date(2023, 2, 1), **CALL)
    assert early == {"submitted_at": "The call opens on 2023-03-01."}


def test_category_may_not_admit_individuals_unless_leadership():
    assert rules.category_kinds_errors(["city", "individual"], leadership=False) == [
        "Individuals may be admitted only in Leadership."
    ]
    assert rules.category_kinds_errors(["individual"], leadership=True) == []
    assert rules.category_kinds_errors(["robot"], leadership=True) == [
        "Unknown applicant kind 'robot'."
    ]


@pytest.mark.parametrize(
    ("evaluator", "applicant", "sources"),
    [
        (
            rules.Party(city="Seoul", country="KR"),
            rules.Party(city=" seoul ", country="JP"),
            ["city"],
        ),
        (rules.Party(organisation="KICT"), rules.Party(organisation="kict"), ["organisation"]),
        (rules.Party(country="DK"), rules.Party(city="Odense", country="DK"), ["country"]),
        (
            rules.Party(city="Seoul", country="KR"),
            rules.Party(city="Seoul", country="KR"),
            ["city", "country"],
        ),
        (rules.Party(), rules.Party(city="Seoul", country="KR"), []),
        (rules.Party(country="FR"), rules.Party(country="KR"), []),
    ],
)
def test_conflict_rules(evaluator, applicant, sources):
    assert [s for s, _ in rules.conflict_reasons(evaluator, applicant)] == sources


def test_round_write_error():
    assert rules.round_write_error(round_number=1, status="open") is None
    assert rules.round_write_error(round_number=1, status="closed") == (
        "Round 1 is closed: its scores can no longer change."
    )
    assert (
        rules.round_write_error(round_number=2, status="planned")
        == "Round 2 is not open for scoring."
    )


def test_tie_break_keys():
    keys = rules.tie_break_keys(["criterion:impact", "median"], {"impact": 1})
    assert keys == ["score", "criterion:impact", "median", "reference"]
    with pytest.raises(ValueError, match="Unknown criterion in tie-break: criterion:x"):
        rules.tie_break_keys(["criterion:x"], {"impact": 1})
