"""Monte Carlo uncertainty and Sobol sensitivity."""

import numpy as np
import pytest

from urbis.index.engine.config import AREAS, PILLARS, published_structure
from urbis.index.engine.pipeline import compute, prepare
from urbis.index.engine.ratings import GRADES, hdi_tiers
from urbis.index.engine.sensitivity import sobol_indices
from urbis.index.engine.uncertainty import UncertaintySpec, analyse

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
    result = sobol_indices(plan, values, UncertaintySpec(seed=5), base_samples=64)
    assert result.factors == (
        "normalisation",
        "aggregation",
        "imputation",
        "weight:structures",
        "weight:technology",
    )
    assert result.runs == 64 * 7
    assert np.all(np.isfinite(result.total))
    again = sobol_indices(plan, values, UncertaintySpec(seed=5), base_samples=64)
    np.testing.assert_array_equal(result.total, again.total)


def test_keep_freed_memory_is_safe_to_call():
    from urbis.index.engine.memory import keep_freed_memory

    assert keep_freed_memory() in (True, False)
