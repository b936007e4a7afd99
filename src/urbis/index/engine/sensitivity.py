"""Variance-based sensitivity of the ranking to the method choices (Sobol indices, SALib).

Factors: the normalisation, the aggregation and the imputation method (each a uniform
factor on [0, 1) cut into equal slices, one per alternative) and one weight factor per
pillar (its weight multiplied by a value in [1 - ε, 1 + ε]). The output of a run is the
mean absolute shift of the cities' ranks from the point ranking. Samples come from
SALib's Saltelli/Sobol' design; the runs are evaluated in batches by
`uncertainty.simulate`, without survey sampling error (which is not a method choice).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import sobol as sobol_sample

from urbis.index.engine.pipeline import Plan, competition_rank, evaluate
from urbis.index.engine.uncertainty import Choices, UncertaintySpec, simulate


@dataclass
class SobolResult:
    factors: tuple[str, ...]
    first_order: NDArray
    total: NDArray
    first_order_conf: NDArray
    total_conf: NDArray
    runs: int
    base_samples: int

    def as_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "factor": f,
                "first_order": float(s1),
                "total": float(st),
                "first_order_conf": float(c1),
                "total_conf": float(ct),
            }
            for f, s1, st, c1, ct in zip(
                self.factors,
                self.first_order,
                self.total,
                self.first_order_conf,
                self.total_conf,
                strict=True,
            )
        ]


def _slice(u: NDArray, options: tuple[str, ...]) -> NDArray:
    if not options:
        return np.full(u.shape, -1, dtype=np.int16)
    return np.minimum((u * len(options)).astype(np.int16), len(options) - 1)


def sobol_indices(
    plan: Plan,
    values: NDArray,
    spec: UncertaintySpec,
    *,
    base_samples: int = 256,
) -> SobolResult:
    """First-order and total Sobol indices of the method choices of `spec`.

    `base_samples` (a power of two) gives base_samples x (factors + 2) runs.
    """
    pillars = plan.levels[-1].children
    eps = spec.weight_noise
    names = ["normalisation", "aggregation", "imputation"]
    bounds = [[0.0, 1.0]] * 3
    names += [f"weight:{p}" for p in pillars]
    bounds += [[1 - eps, 1 + eps]] * len(pillars) if eps > 0 else [[0.999999, 1.0]] * len(pillars)
    problem = {"num_vars": len(names), "names": names, "bounds": bounds}
    sample = sobol_sample.sample(problem, base_samples, calc_second_order=False, seed=spec.seed)
    runs = sample.shape[0]
    ones = {lp.name: np.ones((runs, len(lp.children))) for lp in plan.levels}
    ones["index"] = sample[:, 3:]
    choices = Choices(
        normalisation=_slice(sample[:, 0], spec.normalisations),
        aggregation=_slice(sample[:, 1], spec.aggregations),
        imputation=_slice(sample[:, 2], spec.imputations),
        multipliers=ones,
    )
    sim = simulate(plan, values, choices, replace(spec, respondents=None, runs=runs))
    point = competition_rank(evaluate(plan, np.asarray(values, dtype=float).T[None])["index"])
    shift = np.abs(sim.ranks - point).mean(axis=1)
    if np.ptp(shift) == 0:  # no choice moves any city: every index is zero
        zero = np.zeros(len(names))
        return SobolResult(tuple(names), zero, zero, zero, zero, runs, base_samples)
    si = sobol_analyze.analyze(problem, shift, calc_second_order=False, seed=spec.seed)
    return SobolResult(
        factors=tuple(names),
        first_order=np.asarray(si["S1"]),
        total=np.asarray(si["ST"]),
        first_order_conf=np.asarray(si["S1_conf"]),
        total_conf=np.asarray(si["ST_conf"]),
        runs=runs,
        base_samples=base_samples,
    )
