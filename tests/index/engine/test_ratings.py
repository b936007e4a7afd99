"""Tiers by HDI quartile and letter ratings at every cut-point."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from urbis.index.engine.ratings import (
    GRADES,
    TIER_SCALES,
    grade_counts,
    grade_names,
    hdi_tiers,
    rate,
    validate_cutpoints,
)

CUTPOINTS = {
    1: {"AAA": 85, "AA": 70, "A": 55, "BBB": 40},
    2: {"A": 75, "BBB": 60, "BB": 45, "B": 30},
    3: {"BB": 65, "B": 50, "CCC": 35, "CC": 20},
    4: {"CCC": 55, "CC": 40, "C": 25},
}


def test_tier_scales_shift_and_overlap():
    assert TIER_SCALES[1] == ("AAA", "AA", "A", "BBB", "BB")
    assert TIER_SCALES[2] == ("A", "BBB", "BB", "B", "CCC")
    assert TIER_SCALES[3] == ("BB", "B", "CCC", "CC", "C")
    assert TIER_SCALES[4] == ("CCC", "CC", "C", "D")


def test_tiers_by_hdi_quartile():
    # quartiles of 0.1 … 0.8: Q1 = 0.275, Q2 = 0.45, Q3 = 0.625
    hdi = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]
    assert hdi_tiers(hdi).tolist() == [4, 4, 3, 3, 2, 2, 1, 1]


def test_a_city_on_a_quartile_goes_up():
    # 0.1 … 0.5: Q1 = 0.2, Q2 = 0.3, Q3 = 0.4
    assert hdi_tiers([0.1, 0.2, 0.3, 0.4, 0.5]).tolist() == [4, 3, 2, 1, 1]


def test_tiers_need_every_hdi():
    with pytest.raises(ValueError, match="HDI"):
        hdi_tiers([0.5, np.nan])


@pytest.mark.parametrize("tier", [1, 2, 3, 4])
def test_every_cut_point(tier):
    scale = TIER_SCALES[tier]
    for grade, cut in CUTPOINTS[tier].items():
        below = scale[scale.index(grade) + 1]
        assert grade_names(rate(np.array([cut]), np.array([tier]), CUTPOINTS)) == [grade]
        assert grade_names(rate(np.array([cut - 0.001]), np.array([tier]), CUTPOINTS)) == [below]
    assert grade_names(rate(np.array([100.0]), np.array([tier]), CUTPOINTS)) == [scale[0]]
    assert grade_names(rate(np.array([0.0]), np.array([tier]), CUTPOINTS)) == [scale[-1]]


@settings(deadline=None)
@given(st.floats(0, 100))
def test_a_tier_4_city_never_rates_above_ccc(score):
    grade = rate(np.array([score]), np.array([4]), CUTPOINTS)[0]
    assert grade >= GRADES.index("CCC")


def test_rate_batch_broadcasts_tiers():
    scores = np.array([[90.0, 90.0, 90.0, 90.0], [0.0, 0.0, 0.0, 0.0]])
    out = rate(scores, np.array([1, 2, 3, 4]), CUTPOINTS)
    assert grade_names(out[0]) == ["AAA", "A", "BB", "CCC"]
    assert grade_names(out[1]) == ["BB", "CCC", "C", "D"]


def test_missing_score_is_not_rated():
    assert rate(np.array([np.nan]), np.array([1]), CUTPOINTS).tolist() == [-1]


def test_invalid_cut_points_named():
    bad = dict(CUTPOINTS)
    bad[2] = {"A": 75, "BBB": 80, "BB": 45, "B": 30}
    bad[4] = {"CCC": 55, "CC": 40}
    errors = validate_cutpoints(bad)
    assert errors == [
        "tier 2: cut-points must decrease strictly from A",
        "tier 4: cut-points must be given for CCC, CC, C (the lowest grade D takes the rest)",
    ]
    with pytest.raises(ValueError, match="tier 2"):
        rate(np.array([50.0]), np.array([2]), bad)


def test_cut_points_with_string_keys_as_stored_in_json():
    stored = {str(k): v for k, v in CUTPOINTS.items()}
    assert validate_cutpoints(stored) == []
    assert grade_names(rate(np.array([85.0]), np.array([1]), stored)) == ["AAA"]


def test_batch_rating_equals_one_score_at_a_time():
    # Many runs at once, every tier, scores on, just below and between the cut-points and
    # missing ones: the same grade as rating each score alone by counting the cut-points
    # above it.
    rng = np.random.default_rng(4)
    cuts = np.array([float(v) for tier in (1, 2, 3, 4) for v in CUTPOINTS[tier].values()])
    scores = rng.uniform(-5, 105, (50, 40))
    scores[:, :15] = cuts
    scores[:, 15:30] = np.nextafter(cuts, -np.inf)
    scores[rng.random(scores.shape) < 0.05] = np.nan
    tiers = rng.integers(1, 5, 40)
    got = rate(scores, tiers[None, :], CUTPOINTS)
    for run in range(50):
        for city in range(40):
            s, tier = scores[run, city], int(tiers[city])
            if np.isnan(s):
                expected = -1
            else:
                scale = TIER_SCALES[tier]
                above = sum(s < CUTPOINTS[tier][g] for g in scale[:-1])
                expected = GRADES.index(scale[above])
            assert got[run, city] == expected


def test_a_tier_outside_1_to_4_is_refused_in_a_batch():
    with pytest.raises(ValueError, match="tier between 1 and 4"):
        rate(np.zeros((3, 2)), np.array([[1, 5]]), CUTPOINTS)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_grade_counts_equal_the_counts_of_the_rated_scores(dtype):
    """Counting per cut-point gives each city's grades as rating every score does, also
    for cut-points that float32 cannot hold (rounded up, with scores on either side)."""
    cutpoints = {
        1: {"AAA": 85.3, "AA": 70.1, "A": 55.7, "BBB": 40.2},
        2: {"A": 75.05, "BBB": 60, "BB": 45, "B": 30},
        3: CUTPOINTS[3],
        4: {"CCC": 55.55, "CC": 40, "C": 25},
    }
    rng = np.random.default_rng(6)
    cuts = np.array([float(v) for t in (1, 2, 3, 4) for v in cutpoints[t].values()], dtype)
    scores = rng.uniform(-5, 105, (60, 45)).astype(dtype)
    scores[:20, :15] = cuts
    scores[20:40, :15] = np.nextafter(cuts, dtype(np.inf))
    scores[40:, :15] = np.nextafter(cuts, dtype(-np.inf))
    scores[rng.random(scores.shape) < 0.05] = np.nan
    scores[0, 20:23] = [np.inf, -np.inf, -0.0]
    tiers = rng.integers(1, 5, 45)
    grades = rate(scores, tiers[None, :], cutpoints)
    expected = np.zeros((45, len(GRADES)), dtype=int)
    for run, city in zip(*np.nonzero(grades >= 0), strict=True):
        expected[city, grades[run, city]] += 1
    assert grade_counts(scores, tiers, cutpoints).tolist() == expected.tolist()
    with pytest.raises(ValueError, match="tier between 1 and 4"):
        grade_counts(scores, np.full(45, 5), cutpoints)
