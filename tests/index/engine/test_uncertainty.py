"""Monte Carlo uncertainty and Sobol sensitivity."""

import numpy as np
import pytest

from urbis.index.engine.config import AREAS, PILLARS, published_structure
from urbis.index.engine.pipeline import compute, prepare
from urbis.index.engine.ratings import GRADES, hdi_tiers
from urbis.index.engine.sensitivity import sobol, sobol_indices
from urbis.index.engine.uncertainty import UncertaintySpec, analyse, draw_choices, factor_set
from urbis.index.engine.uncertainty.analysis import rank_quantiles
from urbis.index.engine.uncertainty.sampling import clip_places, over_runs, sample_shares

CUTPOINTS = {
    1: {"AAA": 85, "AA": 70, "A": 55, "BBB": 40},
    2: {"A": 75, "BBB": 60, "BB": 45, "B": 30},
    3: {"BB": 65, "B": 50, "CCC": 35, "CC": 20},
    4: {"CCC": 55, "CC": 40, "C": 25},
}


@pytest.fixture(scope="module")
def case():
    items = [(f"{p}.{a}.{j}", p, a, "") for p, _ in PILLARS for a, _ in AREAS for j in range(2)]
    config = published_structure(items)
    rng = np.random.default_rng(11)
    values = np.round(rng.uniform(0.2, 0.9, (24, 20)) * 120) / 120
    values[rng.random(values.shape) < 0.03] = np.nan
    tiers = hdi_tiers(rng.uniform(0.5, 0.95, 24))
    return config, values, tiers


def run(case, spec):
    config, values, tiers = case
    plan = prepare(config, values)
    return analyse(plan, values, spec, tiers=tiers, cutpoints=CUTPOINTS)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_zero_noise_collapses_every_interval_to_the_point_rank(case, dtype):
    config, values, _ = case
    point = compute(config, values).rank
    r = run(case, UncertaintySpec.zero_noise(runs=20, dtype=dtype, chunk=3))
    assert r.point_rank.tolist() == point.tolist()
    assert r.rank_p05.tolist() == point.tolist()
    assert r.median_rank.tolist() == point.tolist()
    assert r.rank_p95.tolist() == point.tolist()
    assert set(np.unique(r.rating_probabilities)) <= {0.0, 1.0}


def test_fixed_seed_reproduces_results_whatever_the_threads(case):
    spec = UncertaintySpec(runs=300, seed=7)
    a = run(case, spec)
    b = run(case, UncertaintySpec(runs=300, seed=7, workers=2))
    for field in ("median_rank", "rank_p05", "rank_p95", "rating_probabilities"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field))
    c = run(case, UncertaintySpec(runs=300, seed=8))
    assert not np.array_equal(a.rating_probabilities, c.rating_probabilities)


def test_intervals_and_probabilities_are_consistent(case):
    r = run(case, UncertaintySpec(runs=400, seed=3))
    assert np.all(r.rank_p05 <= r.median_rank) and np.all(r.median_rank <= r.rank_p95)
    assert np.any(r.rank_p05 < r.rank_p95)
    np.testing.assert_allclose(r.rating_probabilities.sum(axis=1), 1.0)
    _, _, tiers = case
    above_ccc = slice(0, GRADES.index("CCC"))
    assert np.all(r.rating_probabilities[tiers == 4][:, above_ccc] == 0)
    assert r.spec["runs"] == 400 and "areas" in r.methods


def test_sobol_indices_for_the_method_choices(case):
    config, values, _ = case
    plan = prepare(config, values)
    spec = UncertaintySpec(seed=5, weight_levels=("index",))
    result = sobol_indices(plan, values, spec, base_samples=64)
    assert result.factors == (
        "normalisation",
        "aggregation",
        "imputation",
        "weight:index:structures",
        "weight:index:technology",
    )
    assert result.runs == 64 * 7
    assert np.all(np.isfinite(result.total))
    again = sobol_indices(plan, values, spec, base_samples=64)
    np.testing.assert_array_equal(result.total, again.total)


def test_keep_freed_memory_is_safe_to_call():
    from urbis.index.engine.memory import keep_freed_memory

    assert keep_freed_memory() in (True, False)


def test_monte_carlo_and_sobol_share_one_factor_set(case):
    # defect: the Monte Carlo perturbed weights at every level, Sobol only the pillars'
    config, values, _ = case
    plan = prepare(config, values)
    spec = UncertaintySpec(seed=5)
    factors = factor_set(plan, spec)
    weights = [f.name for f in factors if f.kind == "weight"]
    assert len(weights) == 20 + 10 + 2  # indicators, areas, pillars
    assert weights[0] == "weight:areas:structures.health_safety.0"
    assert weights[-1] == "weight:index:technology"
    result = sobol_indices(plan, values, spec, base_samples=8)
    assert result.factors == tuple(f.name for f in factors)
    choices = draw_choices(spec, np.random.default_rng(1), plan)
    assert choices.multipliers is not None
    assert {k: v.shape for k, v in choices.multipliers.items()} == {
        "areas": (spec.runs, 20),
        "pillars": (spec.runs, 10),
        "index": (spec.runs, 2),
    }
    assert np.all(choices.multipliers["areas"] >= 0.75)
    assert np.all(choices.multipliers["areas"] < 1.25)


def test_only_the_declared_levels_vary(case):
    config, values, _ = case
    plan = prepare(config, values)
    spec = UncertaintySpec(weight_levels=("pillars",), normalisations=(), imputations=())
    assert [f.name for f in factor_set(plan, spec)][:2] == [
        "aggregation",
        "weight:pillars:structures.health_safety",
    ]
    choices = draw_choices(spec, np.random.default_rng(1), plan)
    assert choices.multipliers is not None
    assert np.all(choices.multipliers["areas"] == 1) and np.all(choices.multipliers["index"] == 1)
    assert np.all(choices.normalisation == -1)
    with pytest.raises(ValueError, match="weight_levels"):
        factor_set(plan, UncertaintySpec(weight_levels=("regions",)))


def test_sobol_matches_the_ishigami_indices():
    # Ishigami, a = 7, b = 0.1 on [-pi, pi]^3: analytic S1 = (0.3139, 0.4424, 0),
    # ST = (0.5576, 0.4424, 0.2437)
    from SALib.analyze import sobol as salib_analyze
    from SALib.sample import sobol as salib_sample

    def ishigami(x):
        return np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])

    bounds = [[-np.pi, np.pi]] * 3
    result = sobol(["x1", "x2", "x3"], bounds, ishigami, base_samples=2**13, seed=3)
    np.testing.assert_allclose(result.first_order, [0.3139, 0.4424, 0.0], atol=0.02)
    np.testing.assert_allclose(result.total, [0.5576, 0.4424, 0.2437], atol=0.02)
    # and the very figures of SALib's own estimators on the same design
    problem = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": bounds}
    sample = salib_sample.sample(problem, 2**13, calc_second_order=False, seed=3)
    direct = salib_analyze.analyze(problem, ishigami(sample), calc_second_order=False, seed=3)
    np.testing.assert_array_equal(result.first_order, direct["S1"])
    np.testing.assert_array_equal(result.total, direct["ST"])


def test_a_clear_leader_with_missing_items_stays_first_under_harmonic_means():
    # defect: a missing item counted as 1/1 in the harmonic sum, and the leader's 5-95 %
    # rank interval spread to 1-26
    items = [(f"{p}.{a}.{j}", p, a, "") for p, _ in PILLARS for a, _ in AREAS for j in range(2)]
    config = published_structure(items)
    rng = np.random.default_rng(4)
    values = rng.uniform(0.2, 0.6, (30, 20))
    values[0] = 0.95
    values[0, [3, 11]] = np.nan
    tiers = hdi_tiers(rng.uniform(0.5, 0.95, 30))
    plan = prepare(config, values)
    spec = UncertaintySpec(
        runs=200, seed=9, aggregations=("harmonic",), imputations=("none",), respondents=None
    )
    r = analyse(plan, values, spec, tiers=tiers, cutpoints=CUTPOINTS)
    assert (r.rank_p05[0], r.median_rank[0], r.rank_p95[0]) == (1, 1, 1)


@pytest.mark.parametrize("runs", [1, 2, 3, 20, 99, 1000, 2049])
def test_rank_quantiles_by_counting_equal_numpy_s_quantiles(runs):
    rng = np.random.default_rng(runs)
    ranks = rng.integers(1, 31, (runs, 30)).astype(np.int32)
    ranks[:, 0] = 7  # a city with one rank in every run
    probabilities = [0.05, 0.5, 0.95, 0.0, 1.0, 0.25, 0.333, 1e-9]
    counted = rank_quantiles(ranks, probabilities)
    expected = np.quantile(ranks, probabilities, axis=0, method="inverted_cdf").astype(int)
    assert counted.dtype == expected.dtype
    assert np.array_equal(counted, expected)
    assert counted[:, 0].tolist() == [7] * len(probabilities)


def test_rank_quantiles_of_a_small_case_by_hand():
    ranks = np.array([[1, 3], [2, 3], [2, 1], [4, 2], [3, 3]], dtype=np.int32)
    # 5 runs: 5 %, the smallest; 50 %, the 3rd smallest; 95 %, the largest
    assert rank_quantiles(ranks, [0.05, 0.5, 0.95]).tolist() == [[1, 1], [2, 3], [4, 3]]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("m", [7, 120])
def test_sampling_clips_only_where_a_redraw_can_leave_the_range(dtype, m):
    rng = np.random.default_rng(4)
    point = rng.choice([0.0, 1 / m, 0.5, 1 - 1 / m, 1.0, np.nan], (6, 40)).astype(dtype)
    p = np.clip(point, 0, 1)
    sigma = (m * np.sqrt(p * (1 - p) / m)).astype(dtype)
    point_m = (point * m).astype(dtype)
    places = clip_places(point_m, sigma, m)
    assert 0 < places.size < np.count_nonzero(point == point)
    everywhere, there = np.empty((2, 5, 6, 40), dtype)
    sample_shares(point, point_m, sigma, m, np.random.default_rng(9), everywhere)
    sample_shares(point, point_m, sigma, m, np.random.default_rng(9), there, clip_at=places)
    assert everywhere.tobytes() == there.tobytes()
    assert np.nanmin(there) >= 0 and np.nanmax(there) <= 1


def test_over_runs_repeats_one_runs_positions_in_each_run():
    assert over_runs(np.array([1, 4]), 3, 10).tolist() == [1, 4, 11, 14, 21, 24]
    assert over_runs(np.array([], np.intp), 2, 10).tolist() == []


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("m", [7, 120, 300])
def test_sampling_by_flat_positions_and_scratch_equals_the_plain_call(dtype, m):
    rng = np.random.default_rng(5)
    point = rng.choice([0.0, 1 / m, 0.3, 0.5, 1 - 1 / m, 1.0, np.nan], (6, 40)).astype(dtype)
    p = np.clip(point, 0, 1)
    sigma = (m * np.sqrt(p * (1 - p) / m)).astype(dtype)
    point_m = (point * m).astype(dtype)
    places = clip_places(point_m, sigma, m)
    missing = np.flatnonzero(np.isnan(point))
    code_type = np.uint8 if m < 255 else np.uint16
    plain, fast = np.empty((2, 5, 6, 40), dtype)
    plain_codes, fast_codes = np.empty((2, 5, 6, 40), code_type)
    sample_shares(point, point_m, sigma, m, np.random.default_rng(9), plain, plain_codes)
    sample_shares(
        point, point_m, sigma, m, np.random.default_rng(9), fast, fast_codes,
        over_runs(missing, 5, point.size), over_runs(places, 5, point.size),
        flat=True, scratch=np.empty(5 * point.size + 3, np.intp),
    )  # fmt: skip
    assert plain.tobytes() == fast.tobytes()
    assert plain_codes.tobytes() == fast_codes.tobytes()
    assert np.count_nonzero(fast_codes == m + 1) == 5 * missing.size
