import numpy as np
import pytest

from urbis.prize.scoring import aggregate, agreement, assignment, awards, ranking


def test_conflict_mask_same_city_organisation_or_country():
    apps = {
        "city": ["seoul", "", "lima"],
        "organisation": ["", "acme", ""],
        "country": ["KR", "US", "PE"],
    }
    evs = {"city": ["seoul", "", ""], "organisation": ["", "acme", ""], "country": ["", "", ""]}
    mask = assignment.conflict_mask(apps, evs)
    assert mask.tolist() == [[True, False, False], [False, True, False], [False, False, False]]


def test_empty_values_never_conflict():
    mask = assignment.conflict_mask({"country": ["", "KR"]}, {"country": ["", "FR"]})
    assert mask.tolist() == [[False, False], [False, False]]


def _random_conflicts(n, m, seed):
    rng = np.random.default_rng(seed)
    return rng.random((n, m)) < 0.15


@pytest.mark.parametrize(("n", "m", "r", "seed"), [(200, 30, 5, 1), (57, 11, 3, 2), (10, 5, 5, 3)])
def test_assignment_respects_conflicts_and_balances(n, m, r, seed):
    conflicts = _random_conflicts(n, m, seed) if r < m else np.zeros((n, m), dtype=bool)
    grid = assignment.assign(conflicts, r, seed=seed)
    assert grid.shape == (n, r)
    assert not conflicts[np.arange(n)[:, None], grid].any()
    assert all(len(set(row)) == r for row in grid.tolist())
    load = assignment.loads(grid, m)
    assert load.sum() == n * r
    assert load.max() - load.min() <= 1


def test_assignment_with_country_blocks():
    # 6 countries; evaluators and applicants spread over them: same-country is common.
    rng = np.random.default_rng(5)
    app_c = [f"C{i}" for i in rng.integers(0, 6, 300)]
    ev_c = [f"C{i % 6}" for i in range(40)]
    conflicts = assignment.conflict_mask({"country": app_c}, {"country": ev_c})
    grid = assignment.assign(conflicts, 5, seed=9)
    assert not conflicts[np.arange(300)[:, None], grid].any()
    load = assignment.loads(grid, 40)
    assert load.max() - load.min() <= 1


def test_assignment_refuses_when_too_few_free_evaluators():
    conflicts = np.array([[True, True, False], [False, False, False]])
    with pytest.raises(assignment.AssignmentError, match="row 0 has fewer than 2"):
        assignment.assign(conflicts, 2)


def test_weighted_totals_renormalise_missing():
    scores = np.array([[5.0, 1.0], [4.0, np.nan]])
    assert aggregate.weighted_totals(scores, np.array([3.0, 1.0])).tolist() == [4.0, 4.0]


def test_harsh_and_lenient_evaluators_converge_after_calibration():
    # Evaluator 0 is harsh, evaluator 1 lenient by two points; same items, same order.
    harsh = [1.0, 2.0, 3.0]
    lenient = [3.0, 4.0, 5.0]
    totals = np.array(harsh + lenient)
    evaluator = np.array([0, 0, 0, 1, 1, 1])
    app = np.array([0, 1, 2, 0, 1, 2])
    raw = aggregate.calibrate(totals, evaluator, scale_min=1, scale_max=5)
    assert raw[:3].tolist() == pytest.approx(raw[3:].tolist())
    # pooled mean 3, pooled sd sqrt(5/3); z = -1.2247, 0, 1.2247 → 1.4189, 3, 4.5811
    assert raw[:3].tolist() == pytest.approx([1.41886, 3.0, 4.58114], abs=1e-5)
    mean = aggregate.aggregate(totals, app, evaluator, 3, method="mean")
    assert mean.tolist() == [2.0, 3.0, 4.0]
    cal = aggregate.aggregate(totals, app, evaluator, 3, method="calibrated")
    assert cal.tolist() == pytest.approx([1.41886, 3.0, 4.58114], abs=1e-5)


def test_calibration_changes_the_winner_when_a_harsh_judge_sees_one_item():
    # App 0 is seen by the lenient judge only; app 1 by the harsh judge only.
    totals = np.array([5.0, 4.0, 3.0, 3.0, 2.0, 1.0, 4.5, 2.5])
    evaluator = np.array([0, 0, 0, 1, 1, 1, 0, 1])
    app = np.array([2, 3, 4, 2, 3, 4, 0, 1])
    mean = aggregate.aggregate(totals, app, evaluator, 5, method="mean")
    cal = aggregate.aggregate(totals, app, evaluator, 5, method="calibrated")
    assert mean[0] > mean[1]
    assert cal[0] == pytest.approx(cal[1])


def test_median_and_trimmed_mean():
    totals = np.array([1.0, 2.0, 3.0, 4.0, 100.0, 2.0, 4.0])
    app = np.array([0, 0, 0, 0, 0, 1, 1])
    ev = np.arange(7)
    med = aggregate.aggregate(totals, app, ev, 3, method="median")
    assert med[:2].tolist() == [3.0, 3.0]
    assert np.isnan(med[2])
    trimmed = aggregate.aggregate(totals, app, ev, 2, method="trimmed", trim=0.2)
    assert trimmed.tolist() == [3.0, 3.0]
    assert trimmed[0] == aggregate.trimmed_mean_reference(totals[:5], 0.2)


def test_unknown_aggregation_is_refused():
    with pytest.raises(ValueError, match="Unknown aggregation 'mode'"):
        aggregate.aggregate(np.ones(1), np.zeros(1, int), np.zeros(1, int), 1, method="mode")


def test_alpha_matches_hand_computed_value():
    # Two raters, three units: (1,2), (2,3), (3,3). Interval metric.
    # Pairable values: 1,2,2,3,3,3 (n = 6).  Observed: each unit contributes
    # sum of squared differences of its ordered pairs / (m_u - 1):
    # unit1: 2·1 = 2, unit2: 2·1 = 2, unit3: 0  → D_o = 4 / 6 = 2/3.
    # Expected: sum over all ordered pairs of values (i≠j) of (v_i - v_j)² / (n(n-1)):
    # values 1,2,2,3,3,3: pairs sum = 2·[1·2·1 + 1·3·4 + 2·3·1] = 2·(2+12+6) = 40;
    # D_e = 40 / 30 = 4/3.  alpha = 1 - D_o / D_e = 1 - (2/3)/(4/3) = 0.5.
    values = np.array([1.0, 2.0, 3.0, 2.0, 3.0, 3.0])
    evaluator = np.array([0, 0, 0, 1, 1, 1])
    app = np.array([0, 1, 2, 0, 1, 2])
    assert agreement.alpha(values, evaluator, app, 2, 3, level="interval") == pytest.approx(0.5)


def test_alpha_with_missing_ratings_and_undefined_cases():
    values = np.array([1.0, 2.0, 3.0, 2.0, 3.0, 3.0, 5.0])
    evaluator = np.array([0, 0, 0, 1, 1, 1, 2])
    app = np.array([0, 1, 2, 0, 1, 2, 3])  # app 3 has one rating only: not pairable
    assert agreement.alpha(values, evaluator, app, 3, 4, level="interval") == pytest.approx(0.5)
    assert agreement.alpha(np.array([4.0, 4.0]), np.array([0, 1]), np.array([0, 0]), 2, 1) is None


def test_tie_break_chain_is_deterministic():
    columns = {
        "score": np.array([4.0, 4.0, 4.0, 3.0]),
        "criterion:impact": np.array([3.0, 5.0, 5.0, 5.0]),
        "reference": np.array(["P-004", "P-003", "P-002", "P-001"]),
    }
    keys = ["score", "criterion:impact", "reference"]
    order = ranking.rank_order(keys, columns)
    assert order.tolist() == [2, 1, 0, 3]
    # Same data in another row order: same ranking of references.
    perm = np.array([3, 1, 0, 2])
    shuffled = {k: np.asarray(v)[perm] for k, v in columns.items()}
    again = ranking.rank_order(keys, shuffled)
    assert shuffled["reference"][again].tolist() == ["P-002", "P-003", "P-004", "P-001"]


def test_nan_scores_rank_last_and_ranks_within_category():
    columns = {
        "score": np.array([np.nan, 2.0, 3.0, 1.0]),
        "reference": np.array(["a", "b", "c", "d"]),
    }
    order = ranking.rank_order(["score", "reference"], columns)
    assert order.tolist() == [2, 1, 3, 0]
    ranks = ranking.ranks_within(np.array(["x", "y", "x", "y"]), order)
    assert ranks.tolist() == [2, 1, 1, 2]


def test_advancement_top_k_per_category_and_threshold():
    scores = np.array([5.0, 4.0, 3.0, 2.0, 1.0])
    groups = np.array(["t", "t", "t", "l", "l"])
    order = ranking.rank_order(
        ["score", "reference"], {"score": scores, "reference": np.array(list("abcde"))}
    )
    ranks = ranking.ranks_within(groups, order)
    top = ranking.advance(scores, ranks, groups, mode="top_k", k=2, k_by_group={"l": 1})
    assert top.tolist() == [True, True, False, True, False]
    thr = ranking.advance(scores, ranks, groups, mode="threshold", threshold=3.0)
    assert thr.tolist() == [True, True, True, False, False]


def test_funnel_200_to_21_finalists_to_winners():
    """The seed's funnel with synthetic data: 200 applications, three rounds."""
    rng = np.random.default_rng(2023)
    n = 200
    groups = np.array(["tech"] * 110 + ["human"] * 80 + ["leadership"] * 10)
    quality = rng.normal(3, 0.8, n)
    alive = np.ones(n, dtype=bool)
    rules = [
        ("top_k", {"tech": 25, "human": 25, "leadership": 5}),
        ("top_k", {"tech": 8, "human": 8, "leadership": 2}),
    ]
    for mode, ks in rules:
        scores = np.where(alive, quality + rng.normal(0, 0.1, n), np.nan)
        refs = np.array([f"P-{i:03d}" for i in range(n)])
        order = ranking.rank_order(["score", "reference"], {"score": scores, "reference": refs})
        ranks = ranking.ranks_within(groups, order)
        alive = ranking.advance(scores, ranks, groups, mode=mode, k_by_group=ks)
    assert int(alive.sum()) == 18  # + 3 partner special mentions = the seed's 21 finalists
    counts = {g: int((alive & (groups == g)).sum()) for g in ("tech", "human", "leadership")}
    assert counts == {"tech": 8, "human": 8, "leadership": 2}


def test_award_allocation_follows_rank_and_kind():
    slots = [
        awards.Slot("gold", "tech", ("city",), 1),
        awards.Slot("silver", "tech", ("city",), 2),
        awards.Slot("bronze", "tech", ("city",), 3),
        awards.Slot("corp", "tech", ("corporation",), 1),
        awards.Slot("inst", "tech", ("institution",), 1),
    ]
    kinds = [
        "corporation",
        "city",
        "city",
        "institution",
        "city",
        "city",
        "city",
        "city",
        "corporation",
    ]
    ranked = [
        awards.Ranked(key=i + 1, category="tech", kind=k, rank=i + 1) for i, k in enumerate(kinds)
    ]
    result = awards.allocate(slots, ranked)
    assert result == {
        "gold": [2],
        "silver": [3, 5],
        "bronze": [6, 7, 8],
        "corp": [1],
        "inst": [4],
    }


def test_evaluator_conflicted_with_everything_takes_no_load():
    conflicts = np.zeros((6, 3), dtype=bool)
    conflicts[:, 2] = True
    grid = assignment.assign(conflicts, 2)
    assert assignment.loads(grid, 3).tolist() == [6, 6, 0]


def test_alpha_from_value_counts_equals_the_packages_matrix_form():
    import krippendorff

    rng = np.random.default_rng(4)
    n_ev, n_app = 7, 40
    truth = rng.integers(1, 6, n_app)
    rows = [(e, a) for a in range(n_app) for e in rng.choice(n_ev, 3, replace=False)]
    ev = np.array([r[0] for r in rows])
    app = np.array([r[1] for r in rows])
    values = np.clip(truth[app] + rng.integers(-1, 2, app.size), 1, 5).astype(float)
    matrix = agreement.reliability_matrix(values, ev, app, n_ev, n_app)
    expected = krippendorff.alpha(reliability_data=matrix, level_of_measurement="interval")
    assert agreement.alpha(values, ev, app, n_ev, n_app, level="interval") == pytest.approx(
        expected
    )
