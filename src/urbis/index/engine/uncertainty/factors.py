"""The uncertain inputs: what varies (`UncertaintySpec`), the one factor set shared by the
Monte Carlo and the Sobol analysis (`factor_set`), and the mapping from factor values to
per-run method choices and weight multipliers (`choices_from_unit`, `draw_choices`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from urbis.index.engine.pipeline import Plan

ALL_NORMALISATIONS = ("minmax", "zscore", "rank", "percentile", "distance", "goalposts")
ALL_AGGREGATIONS = ("arithmetic", "geometric", "harmonic")
ALL_IMPUTATIONS = ("none", "mean", "median")


@dataclass(frozen=True)
class UncertaintySpec:
    """What varies. An empty tuple of alternatives keeps the configured method."""

    runs: int = 1000
    seed: int = 2023
    normalisations: tuple[str, ...] = ALL_NORMALISATIONS
    aggregations: tuple[str, ...] = ALL_AGGREGATIONS
    imputations: tuple[str, ...] = ALL_IMPUTATIONS
    weight_noise: float = 0.25
    weight_levels: tuple[str, ...] = ("areas", "pillars", "index")
    respondents: int | None = 120  # None: no sampling error
    chunk: int = 4
    workers: int = 1
    dtype: str = "float64"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def zero_noise(cls, runs: int = 10, **kw: Any) -> UncertaintySpec:
        """Nothing varies: every run reproduces the point estimate."""
        return cls(
            runs=runs,
            normalisations=(),
            aggregations=(),
            imputations=(),
            weight_noise=0.0,
            respondents=None,
            **kw,
        )


@dataclass
class Choices:
    """Per-run method choices (index into the alternatives, -1 = as configured)."""

    normalisation: NDArray
    aggregation: NDArray
    imputation: NDArray
    multipliers: Mapping[str, NDArray] | None = None  # explicit weight factors per level

    @property
    def runs(self) -> int:
        return int(self.normalisation.size)


@dataclass(frozen=True)
class Factor:
    """One uncertain input: a method choice, or the weight of one child at one level."""

    name: str
    kind: str  # normalisation | aggregation | imputation | weight
    level: str | None = None
    child: int | None = None


def factor_set(plan: Plan, spec: UncertaintySpec) -> tuple[Factor, ...]:
    """The uncertain inputs of `spec` on `plan`: what the Monte Carlo draws and the Sobol
    analysis apportions the variance to."""
    factors = [
        Factor(kind, kind)
        for kind, options in (
            ("normalisation", spec.normalisations),
            ("aggregation", spec.aggregations),
            ("imputation", spec.imputations),
        )
        if options
    ]
    unknown = set(spec.weight_levels) - {lp.name for lp in plan.levels}
    if unknown:
        raise ValueError(f"weight_levels: unknown level(s) {', '.join(sorted(unknown))}.")
    if spec.weight_noise > 0:
        for lp in plan.levels:
            if lp.name in spec.weight_levels:
                factors += [
                    Factor(f"weight:{lp.name}:{c}", "weight", lp.name, i)
                    for i, c in enumerate(lp.children)
                ]
    return tuple(factors)


def _slice(u: NDArray, options: Sequence[str]) -> NDArray:
    if not options:
        return np.full(u.shape, -1, dtype=np.int16)
    return np.minimum((u * len(options)).astype(np.int16), len(options) - 1)


def choices_from_unit(
    plan: Plan, spec: UncertaintySpec, factors: Sequence[Factor], u: NDArray
) -> Choices:
    """Per-run choices from `u` (runs, factors) in [0, 1): the one mapping from factor
    values to inputs, used by both the Monte Carlo and the Sobol analysis."""
    runs = u.shape[0]
    column = {f.name: j for j, f in enumerate(factors)}

    def method(kind: str, options: Sequence[str]) -> NDArray:
        j = column.get(kind)
        return _slice(u[:, j], options) if j is not None else np.full(runs, -1, np.int16)

    eps = spec.weight_noise
    multipliers: dict[str, NDArray] | None = None
    weights = [(j, f) for j, f in enumerate(factors) if f.kind == "weight"]
    if weights:
        multipliers = {lp.name: np.ones((runs, len(lp.children))) for lp in plan.levels}
        for j, f in weights:
            assert f.level is not None and f.child is not None
            multipliers[f.level][:, f.child] = 1 - eps + 2 * eps * u[:, j]
    return Choices(
        normalisation=method("normalisation", spec.normalisations),
        aggregation=method("aggregation", spec.aggregations),
        imputation=method("imputation", spec.imputations),
        multipliers=multipliers,
    )


def draw_choices(
    spec: UncertaintySpec, rng: np.random.Generator, plan: Plan | None = None
) -> Choices:
    """The runs' choices: every factor of `factor_set` drawn uniformly. Without a plan only
    the method choices are drawn (weights then vary per chunk inside `simulate`)."""
    if plan is None:
        runs = spec.runs

        def pick(options: Sequence[str]) -> NDArray:
            if not options:
                return np.full(runs, -1, dtype=np.int16)
            return rng.integers(0, len(options), runs).astype(np.int16)

        return Choices(
            normalisation=pick(spec.normalisations),
            aggregation=pick(spec.aggregations),
            imputation=pick(spec.imputations),
        )
    factors = factor_set(plan, spec)
    return choices_from_unit(plan, spec, factors, rng.random((spec.runs, len(factors))))
