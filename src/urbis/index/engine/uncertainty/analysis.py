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
    q05, q50, q95 = np.quantile(sim.ranks, [0.05, 0.5, 0.95], axis=0, method="inverted_cdf")
    n = sim.ranks.shape[1]
    return UncertaintyResult(
        cities=tuple(cities) if cities is not None else tuple(str(i) for i in range(n)),
        point_rank=competition_rank(point)[0],
        median_rank=q50.astype(int),
        rank_p05=q05.astype(int),
        rank_p95=q95.astype(int),
        rating_probabilities=rating_probabilities(sim.scores, tiers, cutpoints),
        runs=spec.runs,
        spec=spec.as_dict(),
        methods=plan.methods(),
    )
