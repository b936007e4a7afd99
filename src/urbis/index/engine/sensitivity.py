"""Variance-based sensitivity of the ranking to the method choices (Sobol indices, SALib).

Factors: those of `uncertainty.factor_set`, the same the Monte Carlo draws — the
normalisation, the aggregation and the imputation method (each a uniform factor on [0, 1)
cut into equal slices, one per alternative) and one weight factor per child at every level
declared uncertain (its weight multiplied by a value in [1 - ε, 1 + ε]). The output of a run
is the mean absolute shift of the cities' ranks from the point ranking. Samples come from
SALib's Saltelli/Sobol' design; the runs are evaluated in batches by `uncertainty.simulate`,
without survey sampling error (which is not a method choice).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import sobol as sobol_sample

from urbis.index.engine.pipeline import Plan, competition_rank, evaluate
from urbis.index.engine.uncertainty import (
    UncertaintySpec,
    choices_from_unit,
    factor_set,
    simulate,
)


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


def sobol(
    names: Sequence[str],
    bounds: Sequence[Sequence[float]],
    model: Callable[[NDArray], NDArray],
    *,
    base_samples: int = 256,
    seed: int = 0,
) -> SobolResult:
    """First-order and total Sobol indices of `model` (sample matrix -> one output per row)
    on independent uniform factors, with SALib's Sobol' design and estimators."""
    problem = {"num_vars": len(names), "names": list(names), "bounds": [list(b) for b in bounds]}
    sample = sobol_sample.sample(problem, base_samples, calc_second_order=False, seed=seed)
    output = np.asarray(model(sample), dtype=float)
    if np.ptp(output) == 0:  # no factor moves the output: every index is zero
        zero = np.zeros(len(names))
        return SobolResult(tuple(names), zero, zero, zero, zero, sample.shape[0], base_samples)
    si = sobol_analyze.analyze(problem, output, calc_second_order=False, seed=seed)
    return SobolResult(
        factors=tuple(names),
        first_order=np.asarray(si["S1"]),
        total=np.asarray(si["ST"]),
        first_order_conf=np.asarray(si["S1_conf"]),
        total_conf=np.asarray(si["ST_conf"]),
        runs=sample.shape[0],
        base_samples=base_samples,
    )


def sobol_indices(
    plan: Plan,
    values: NDArray,
    spec: UncertaintySpec,
    *,
    base_samples: int = 256,
) -> SobolResult:
    """First-order and total Sobol indices of the factors of `spec` — the same factor set
    the Monte Carlo draws (`uncertainty.factor_set`), mapped to runs by the same function.

    `base_samples` (a power of two) gives base_samples x (factors + 2) runs.
    """
    factors = factor_set(plan, spec)
    if not factors:
        raise ValueError("Nothing varies: the uncertainty spec declares no factor.")
    point = competition_rank(evaluate(plan, np.asarray(values, dtype=float).T[None])["index"])
    quiet = replace(spec, respondents=None)

    def model(u: NDArray) -> NDArray:
        choices = choices_from_unit(plan, spec, factors, u)
        sim = simulate(plan, values, choices, replace(quiet, runs=u.shape[0]))
        return np.abs(sim.ranks - point).mean(axis=1)

    return sobol(
        [f.name for f in factors],
        [[0.0, 1.0]] * len(factors),
        model,
        base_samples=base_samples,
        seed=spec.seed,
    )
