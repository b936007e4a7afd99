"""The pipeline on a small, hand-computed example."""

import numpy as np
import pytest

from urbis.index.engine.config import (
    IndexConfig,
    Indicator,
    Level,
    Node,
    published_structure,
)
from urbis.index.engine.pipeline import competition_rank, compute, evaluate, prepare

# a1, a2 → area A (pillar P); b1 → area B (pillar Q); three cities.
VALUES = np.array(
    [
        [0.0, 10.0, 1.0],
        [5.0, 0.0, 2.0],
        [10.0, 5.0, 3.0],
    ]
)


def small_config(**levels):
    return IndexConfig(
        indicators=(
            Indicator("a1", "A", low=0, high=10),
            Indicator("a2", "A", low=0, high=10),
            Indicator("b1", "B", low=0, high=4),
        ),
        areas=(Node("A", "P"), Node("B", "Q")),
        pillars=(Node("P", "index"), Node("Q", "index")),
        levels={
            "areas": levels.get("areas", Level(normalisation="minmax")),
            "pillars": levels.get("pillars", Level()),
            "index": levels.get("index", Level()),
        },
    )


def test_min_max_arithmetic_equal_weights():
    # minmax: a1 [0, .5, 1], a2 [1, 0, .5], b1 [0, .5, 1]
    # A = [.5, .25, .75], B = [0, .5, 1]; index = [.25, .375, .875]
    r = compute(small_config(), VALUES, cities=["x", "y", "z"])
    np.testing.assert_allclose(r.areas["A"], [0.5, 0.25, 0.75])
    np.testing.assert_allclose(r.pillars["Q"], [0.0, 0.5, 1.0])
    np.testing.assert_allclose(r.index, [0.25, 0.375, 0.875])
    np.testing.assert_allclose(r.score, [0.0, 20.0, 100.0])
    assert r.rank.tolist() == [3, 2, 1]
    assert r.cities == ("x", "y", "z")


def test_result_carries_its_methods():
    r = compute(small_config(), VALUES)
    assert r.methods["areas"]["normalisation"] == "minmax"
    assert r.methods["index"]["aggregation"] == "arithmetic"
    assert r.methods["index"]["weight_values"] == {"P": 0.5, "Q": 0.5}


def test_manual_weights_at_the_index_level():
    cfg = small_config(index=Level(weights="manual", manual_weights={"P": 3, "Q": 1}))
    r = compute(cfg, VALUES)
    np.testing.assert_allclose(r.index, [0.375, 0.3125, 0.8125])
    assert r.rank.tolist() == [2, 3, 1]


def test_goalposts_normalisation():
    # a1/10 = [0, .5, 1]; a2/10 = [1, 0, .5]; b1/4 = [.25, .5, .75]
    cfg = small_config(areas=Level(normalisation="goalposts"))
    r = compute(cfg, VALUES)
    np.testing.assert_allclose(r.index, [(0.5 + 0.25) / 2, (0.25 + 0.5) / 2, (0.75 + 0.75) / 2])


def test_geometric_index_on_shifted_pillars():
    # pillars shifted to start at 1: P = [1.25, 1, 1.5], Q = [1, 1.5, 2]
    cfg = small_config(index=Level(aggregation="geometric"))
    r = compute(cfg, VALUES)
    np.testing.assert_allclose(r.index, [np.sqrt(1.25), np.sqrt(1.5), np.sqrt(3.0)])
    assert r.rank.tolist() == [3, 2, 1]


@pytest.mark.parametrize("mean", ["geometric", "harmonic"])
def test_each_normalisation_matters_for_geometric_and_harmonic_runs(mean):
    # defect: the min-max rescale to [1, 100] before a geometric or harmonic mean made
    # min-max, z-score, distance and goalposts identical (and rank, percentile)
    rng = np.random.default_rng(7)
    values = rng.uniform(0.05, 0.95, (12, 3))
    values[:, 2] = values[:, 2] ** 3
    results = []
    for method in ("minmax", "zscore", "rank", "percentile", "distance", "goalposts"):
        cfg = small_config(areas=Level(normalisation=method, aggregation=mean))
        results.append(compute(cfg, values).index)
    for i in range(len(results)):
        for j in range(i):
            assert not np.allclose(results[i], results[j])


def test_the_result_says_inputs_were_shifted():
    r = compute(small_config(index=Level(aggregation="geometric")), VALUES)
    assert r.methods["index"]["note"] == "inputs shifted so each child's lowest value is 1"


def test_missing_value_skipped_or_imputed():
    values = VALUES.copy()
    values[0, 1] = np.nan  # x has no a2
    r = compute(small_config(), values)
    # a2 minmax over [0, 5] → [nan, 0, 1]; A for x = a1 only = 0
    np.testing.assert_allclose(r.areas["A"], [0.0, 0.25, 1.0])
    cfg = small_config(areas=Level(normalisation="minmax", imputation="mean"))
    r = compute(cfg, values)  # a2 for x = 2.5 → minmax [.5, 0, 1]
    np.testing.assert_allclose(r.areas["A"], [0.25, 0.25, 1.0])


def test_wrong_number_of_columns():
    with pytest.raises(ValueError, match="Expected 3 indicators"):
        prepare(small_config(), VALUES[:, :2])


def test_invalid_configuration_names_the_problem():
    with pytest.raises(ValueError, match="indicator c1: unknown area 'C'"):
        IndexConfig(
            indicators=(Indicator("a1", "A"), Indicator("c1", "C")),
            areas=(Node("A", "P"),),
            pillars=(Node("P", "index"),),
        )
    with pytest.raises(ValueError, match="aggregation"):
        Level(aggregation="median")


def test_config_round_trips_through_a_dict():
    cfg = small_config(index=Level(weights="manual", manual_weights={"P": 3, "Q": 1}))
    assert IndexConfig.from_dict(cfg.as_dict()) == cfg


def test_published_structure_has_two_pillars_of_five_areas():
    items = [("i1", "structures", "mobility", "Traffic congestion is not a problem")]
    with pytest.raises(ValueError, match="has no indicator"):
        published_structure(items)
    from urbis.index.engine.config import AREAS, PILLARS

    items = [(f"{p}-{a}", p, a, "") for p, _ in PILLARS for a, _ in AREAS]
    cfg = published_structure(items)
    assert len(cfg.pillars) == 2 and len(cfg.areas) == 10
    assert {a.parent for a in cfg.areas} == {"structures", "technology"}


def test_new_methods_through_the_configuration():
    # generalised mean p = 1 equals arithmetic; min-max onto [1, 100] moves the index by
    # the affine map; Copeland at the index level counts the pairwise wins
    base = compute(small_config(), VALUES).index
    gen = compute(small_config(index=Level(aggregation="generalised", p=1)), VALUES).index
    np.testing.assert_allclose(gen, base)
    wide = Level(normalisation="minmax", normalisation_params={"lower": 1, "upper": 100})
    np.testing.assert_allclose(compute(small_config(areas=wide), VALUES).index, 1 + 99 * base)
    cope = compute(small_config(index=Level(aggregation="copeland")), VALUES)
    # P = [.5, .25, .75], Q = [0, .5, 1]: x-y tie 1:1, z beats both
    assert cope.index.tolist() == [-1, -1, 2]


def test_threshold_and_row_imputation_through_the_configuration():
    values = VALUES.copy()
    values[0, 1] = np.nan  # x has no a2
    strict = Level(normalisation="minmax", threshold=1.0)
    assert np.isnan(compute(small_config(areas=strict), values).areas["A"][0])
    row = Level(normalisation="minmax", imputation="row_mean")
    r = compute(small_config(areas=row), values)
    # a1 of x is 0 on [0, 10] → the gap in a2 (range [0, 5]) becomes 0
    np.testing.assert_allclose(r.areas["A"], [0.0, 0.25, 0.5 * (1 + 1.0)])


def test_distance_to_a_target_from_the_indicator():
    cfg = IndexConfig(
        indicators=(Indicator("a1", "A", target=8.0), Indicator("b1", "B", target=2.0)),
        areas=(Node("A", "P"), Node("B", "Q")),
        pillars=(Node("P", "index"), Node("Q", "index")),
        levels={"areas": Level(normalisation="target"), "pillars": Level(), "index": Level()},
    )
    r = compute(cfg, VALUES[:, [0, 2]])
    np.testing.assert_allclose(r.areas["A"], [0.0, 5 / 8, 1.0])
    np.testing.assert_allclose(r.areas["B"], [0.0, 1.0, 1.0])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_competition_rank_shares_the_best_rank_and_puts_missing_last(dtype):
    scores = np.array([[3.0, 7.0, 3.0, np.nan, -0.0, 0.0, 7.0]], dtype=dtype)
    assert competition_rank(scores).tolist() == [[3, 1, 3, 7, 5, 5, 1]]


@pytest.mark.parametrize("aggregation", ["arithmetic", "geometric", "harmonic"])
def test_evaluate_leaves_its_input_and_each_level_s_scores_alone(aggregation):
    """The pipeline works in place on its own intermediate arrays only: the caller's data
    and a level's scores (the next level's input when it normalises with "none") stay."""
    rng = np.random.default_rng(2)
    x = rng.uniform(0, 10, (2, 3, 3))
    x[1, 0, 2] = np.nan
    kept = x.copy()
    for normalisation in ("none", "minmax"):
        config = small_config(
            areas=Level(normalisation=normalisation, aggregation=aggregation),
            pillars=Level(aggregation=aggregation),
            index=Level(aggregation=aggregation),
        )
        plan = prepare(config, VALUES)
        out = evaluate(plan, x)
        assert np.array_equal(x, kept, equal_nan=True)
        # the areas' scores do not depend on how the levels above aggregate them
        above = small_config(areas=config.level("areas"))
        assert np.array_equal(out["areas"], evaluate(prepare(above, VALUES), x)["areas"])
        assert np.array_equal(out["pillars"], evaluate(plan, x)["pillars"])
