"""The Monte Carlo's summary per city: median rank, 5-95 % rank interval and rating
probabilities (`analyse`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from urbis.index.engine.pipeline import Plan, competition_rank, evaluate
from urbis.index.engine.ratings import GRADES, Cutpoints, grade_counts
from urbis.index.engine.uncertainty.factors import UncertaintySpec, draw_choices
from urbis.index.engine.uncertainty.runs import simulate


@dataclass
class UncertaintyResult:
    cities: tuple[str, ...]
    point_rank: NDArray
    median_rank: NDArray
    rank_p05: NDArray
    rank_p95: NDArray
    rating_probabilities: NDArray  # (cities, grades)
    runs: int
    spec: dict[str, Any]
    methods: dict[str, Any] = field(default_factory=dict)

    def rating_probability(self, city: int) -> dict[str, float]:
        return {
            g: float(p)
            for g, p in zip(GRADES, self.rating_probabilities[city], strict=True)
            if p > 0
        }


# runs counted at a time by `rank_quantiles` (the flat index is 8 bytes a rank)
QUANTILE_BLOCK = 1024


def rank_quantiles(ranks: NDArray, probabilities: Sequence[float]) -> NDArray:
    """`np.quantile(ranks, probabilities, axis=0, method="inverted_cdf")` of the ranks
    (runs, cities), as integers: each probability's order statistic per city.

    Ranks are small whole numbers, so each city's count of every rank, summed up, gives
    its order statistics without sorting the runs (a partition of every city's 10,000
    ranks took a quarter of a second). Which order statistic a probability picks depends
    only on the number of runs: numpy's own choice is read off the quantile of 0, 1, …,
    runs - 1."""
    runs, n = ranks.shape
    picked = np.quantile(np.arange(runs), probabilities, method="inverted_cdf")
    k = np.asarray(picked).astype(np.intp)
    top = int(ranks.max(initial=0)) + 1
    if runs == 0 or int(ranks.min(initial=0)) < 0 or top * n > 2**26:
        return np.quantile(ranks, probabilities, axis=0, method="inverted_cdf").astype(int)
    counts = np.zeros(top * n, np.intp)
    city = np.arange(n, dtype=np.intp)
    for start in range(0, runs, QUANTILE_BLOCK):
        flat = ranks[start : start + QUANTILE_BLOCK].astype(np.intp)
        flat *= n
        flat += city
        counts += np.bincount(flat.ravel(), minlength=top * n)
    # at or below each rank (rank, city); the k-th smallest (from 0) is the lowest rank
    # with more than k at or below it: the number of ranks with at most k
    below = np.cumsum(counts.reshape(top, n), axis=0)
    return np.stack([(below <= j).sum(axis=0) for j in k.tolist()]).astype(int)


def rating_probabilities(scores: NDArray, tiers: NDArray, cutpoints: Cutpoints) -> NDArray:
    """(cities, grades): the share of runs giving each city each grade."""
    return grade_counts(scores, np.asarray(tiers), cutpoints) / scores.shape[0]


def analyse(
    plan: Plan,
    values: NDArray,
    spec: UncertaintySpec,
    *,
    tiers: NDArray,
    cutpoints: Cutpoints,
    cities: Sequence[str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> UncertaintyResult:
    """Median rank, 5-95 % rank interval and rating probabilities per city."""
    rng = np.random.default_rng(spec.seed)
    choices = draw_choices(spec, rng, plan)
    sim = simulate(plan, values, choices, spec, progress=progress)
    point = evaluate(plan, np.asarray(values, dtype=float).T[None])["index"]
    q05, q50, q95 = rank_quantiles(sim.ranks, [0.05, 0.5, 0.95])
    n = sim.ranks.shape[1]
    return UncertaintyResult(
        cities=tuple(cities) if cities is not None else tuple(str(i) for i in range(n)),
        point_rank=competition_rank(point)[0],
        median_rank=q50,
        rank_p05=q05,
        rank_p95=q95,
        rating_probabilities=rating_probabilities(sim.scores, tiers, cutpoints),
        runs=spec.runs,
        spec=spec.as_dict(),
        methods=plan.methods(),
    )
