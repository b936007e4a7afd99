"""The pipeline: prepare a plan on the point data, then evaluate it for one or many runs.

`prepare` makes the data-dependent choices once (outlier treatments, PCA weights);
`evaluate` applies the plan to a batch of runs at once — arrays shaped
(runs, indicators, cities) — so the point estimate is simply a batch of one, and the
Monte Carlo analysis batches thousands of runs through the same array operations.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from urbis.index.engine.aggregate import (
    POSITIVE,
    aggregate,
    shift_positive,
    term_transform,
    to_terms,
)
from urbis.index.engine.config import IndexConfig, Level
from urbis.index.engine.grid import Grid, rank_table
from urbis.index.engine.grid import median as grid_median
from urbis.index.engine.impute import column_mean, impute, mean_imputed
from urbis.index.engine.masks import fill_where
from urbis.index.engine.normalise import normalise, percentile_of_ranks, tie_ranks
from urbis.index.engine.outliers import Treatment, apply_treatment, treat
from urbis.index.engine.weights import node_weights


@dataclass(frozen=True)
class LevelPlan:
    name: str
    methods: Level
    children: tuple[str, ...]
    parents: tuple[str, ...]
    parent_of: NDArray  # (children,) index of each child's parent
    weights: NDArray  # (children,) base weights, summing to 1 within each parent

    def matrix(self, multipliers: NDArray | None = None, dtype: Any = float) -> NDArray:
        """(runs or 1, parents, children) block weight matrix."""
        w = self.weights[None, :] if multipliers is None else self.weights * multipliers
        onehot = np.zeros((len(self.parents), len(self.children)))
        onehot[self.parent_of, np.arange(len(self.children))] = 1
        return (onehot[None, :, :] * w[:, None, :]).astype(dtype)


@dataclass(frozen=True)
class Plan:
    config: IndexConfig
    levels: tuple[LevelPlan, ...]
    treatments: tuple[Treatment, ...]
    groups: NDArray | None
    polarity: NDArray
    low: NDArray
    high: NDArray
    targets: NDArray | None = None

    def with_methods(
        self,
        *,
        normalisation: str | None = None,
        aggregation: str | None = None,
        imputation: str | None = None,
    ) -> Plan:
        """The plan with a method replaced: normalisation and imputation at the indicator
        level, aggregation at every level (the alternatives the uncertainty analysis tries)."""
        levels = []
        for lp in self.levels:
            changes: dict[str, Any] = {}
            if aggregation:
                changes["aggregation"] = aggregation
            if lp.name == "areas":
                if normalisation and normalisation != lp.methods.normalisation:
                    changes["normalisation"] = normalisation
                    changes["normalisation_params"] = {}  # the configured method's own
                if imputation:
                    changes["imputation"] = imputation
            levels.append(replace(lp, methods=replace(lp.methods, **changes)))
        return replace(self, levels=tuple(levels))

    def methods(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for lp in self.levels:
            m = lp.methods
            out[lp.name] = {
                "imputation": m.imputation,
                "outliers": m.outliers,
                "normalisation": m.normalisation,
                "weights": m.weights,
                "aggregation": m.aggregation,
                "weight_values": {
                    c: round(float(w), 6) for c, w in zip(lp.children, lp.weights, strict=True)
                },
            }
            for key in ("normalisation_params", "outlier_params"):
                if getattr(m, key):
                    out[lp.name][key] = dict(getattr(m, key))
            for key in ("p", "threshold"):
                if getattr(m, key) is not None:
                    out[lp.name][key] = getattr(m, key)
            if needs_positive(m):
                out[lp.name]["note"] = "inputs shifted so each child's lowest value is 1"
        out["outliers"] = {
            ind.code: t.as_dict()
            for ind, t in zip(self.config.indicators, self.treatments, strict=True)
            if t.action != "none"
        }
        return out


@dataclass(frozen=True)
class IndexResult:
    """Scores of one run, with the method choices that made them."""

    cities: tuple[str, ...]
    index: NDArray  # (cities,)
    score: NDArray  # index rescaled to 0-100 across the cities
    rank: NDArray  # 1 = best; ties share the best rank
    pillars: dict[str, NDArray]
    areas: dict[str, NDArray]
    methods: dict[str, Any] = field(default_factory=dict)


def needs_positive(level: Level) -> bool:
    """Whether the level's mean needs positive inputs."""
    return level.aggregation in POSITIVE or (
        level.aggregation == "generalised" and level.p is not None and level.p <= 0
    )


def _aggregate(
    level: Level, x: NDArray, weights: NDArray, overwrite: bool = False, terms: bool = False
) -> NDArray:
    """The level's means of its prepared inputs `x` (shifted positive where they must be,
    see `_shifted`); with `overwrite`, `x` is scratch space; `terms`: `x` already went
    through the mean's `term_transform`."""
    return aggregate(
        x, weights, level.aggregation, p=level.p, threshold=level.threshold,
        overwrite=overwrite, shifted=needs_positive(level), terms=terms,
    )  # fmt: skip


def _shifted(level: Level, x: NDArray, source: NDArray) -> NDArray:
    """`x` shifted positive if the level's mean needs it: in place when `x` is an array of
    the pipeline's own (not `source`, the level's input, which the caller may hold)."""
    if not needs_positive(level):
        return x
    return shift_positive(x, overwrite=not np.may_share_memory(x, source))


# what the indicator level can compute by counting on a grid (see `grid`)
GRID_IMPUTATIONS = ("none", "mean", "median")
RANKED = ("rank", "percentile", "borda")


def counts_on_grid(plan: Plan) -> bool:
    """Whether data on a grid would save work: a rank normalisation or a median imputation
    at the indicator level, and nothing that takes the general path (see `_on_grid`)."""
    first = plan.levels[0].methods
    return (
        first.imputation in GRID_IMPUTATIONS
        and (first.imputation == "median" or first.normalisation in RANKED)
        and all(t.action == "none" for t in plan.treatments)
    )


def _on_grid(plan_level: Level, x: NDArray, plan: Plan, grid: Grid) -> tuple[NDArray, bool]:
    """The indicator level's inputs when `x` lies on `grid`: the median imputation and the
    rank normalisations by counting, equal to the general path's results; and whether they
    went through the mean's `term_transform` (the ranks do: on their tables)."""
    params = dict(plan_level.normalisation_params)
    method = plan_level.normalisation
    source = x
    ranked = method in RANKED and set(params) <= {"ties"}
    fill = None
    filled = None  # `x` imputed by the mean, if the normalisation needs the values
    if plan_level.imputation != "none" and grid.counts[:, -1].any():
        if plan_level.imputation == "median":
            fill = grid_median(grid)
        elif ranked:
            fill = column_mean(x, x != x)  # x != x: NaN (faster than isnan)
        else:
            filled, fill = mean_imputed(x, x != x)
    if ranked:
        # The ranks, their Borda or percentile form and the positive shift are functions
        # of each value's place on the grid: computed on each row's table of grid values,
        # then looked up once for every city (the same values as value by value).
        ties = params.get("ties", "min" if method == "borda" else "average")
        table = rank_table(grid, fill=fill, polarity=plan.polarity, ties=ties)
        if method == "borda":
            table = table - table.dtype.type(1)
        elif method == "percentile":
            n = grid.counts[:, :-1].sum(axis=-1)
            if fill is not None:
                n = n + np.where(np.isnan(fill.reshape(-1)), 0, grid.counts[:, -1])
            table = percentile_of_ranks(table, n[:, None].astype(table.dtype))
        if needs_positive(plan_level):
            # a row's lowest value: the lowest entry of its table among the values it holds
            held = np.where(grid.counts > 0, table, table.dtype.type(np.nan))
            lowest = np.fmin.reduce(held, axis=-1, keepdims=True)
            table = shift_positive(table, overwrite=True, lowest=lowest)
        # the log or reciprocal of a geometric or harmonic mean is value by value too (a
        # grid value no city holds may fall below 1 and give NaN: it is never looked up)
        transform = term_transform(plan_level.aggregation, plan_level.p)
        if transform:
            with np.errstate(divide="ignore", invalid="ignore"):
                table = to_terms(table, transform, overwrite=True)
        return grid.lookup(table), transform is not None
    else:
        if filled is not None:
            x = filled
        elif fill is not None:
            missing = x != x
            x = x.copy()
            fill_where(x, fill, missing)
        x = normalise(
            x, method, polarity=plan.polarity, low=plan.low, high=plan.high,
            targets=plan.targets, **params,
        )  # fmt: skip
    return _shifted(plan_level, x, source), False


def _prepare_inputs(
    plan_level: Level, x: NDArray, plan: Plan, indicator_level: bool, siblings: NDArray
) -> NDArray:
    """The level's prepared inputs off the grid (the plan's weights, the point data)."""
    return _inputs(plan_level, x, plan, indicator_level, siblings)[0]


def _inputs(
    plan_level: Level,
    x: NDArray,
    plan: Plan,
    indicator_level: bool,
    siblings: NDArray,
    grid: Grid | None = None,
) -> tuple[NDArray, bool]:
    """The level's prepared inputs, and whether they are already the terms of its mean
    (see `_on_grid`)."""
    if (
        grid is not None
        and indicator_level
        and plan_level.imputation in GRID_IMPUTATIONS
        and all(t.action == "none" for t in plan.treatments)
    ):
        return _on_grid(plan_level, x, plan, grid)
    source = x
    x = impute(x, plan_level.imputation, plan.groups, siblings)
    params = dict(plan_level.normalisation_params)
    if indicator_level:
        treated = [i for i, t in enumerate(plan.treatments) if t.action != "none"]
        if treated:
            x = x.copy()
            for i in treated:
                x[..., i, :] = apply_treatment(x[..., i, :], plan.treatments[i])
        x = normalise(
            x, plan_level.normalisation, polarity=plan.polarity, low=plan.low, high=plan.high,
            targets=plan.targets, **params,
        )  # fmt: skip
    else:
        x = normalise(x, plan_level.normalisation, **params)
    return _shifted(plan_level, x, source), False


def prepare(config: IndexConfig, values: NDArray, *, groups: NDArray | None = None) -> Plan:
    """Make the data-dependent choices on the point data `values` (cities, indicators)."""
    x = np.asarray(values, dtype=float).T  # (indicators, cities)
    if x.shape[0] != len(config.indicators):
        raise ValueError(f"Expected {len(config.indicators)} indicators, got {x.shape[0]} columns.")
    area_codes = [a.code for a in config.areas]
    pillar_codes = [p.code for p in config.pillars]
    structure = (
        (
            "areas",
            [i.code for i in config.indicators],
            area_codes,
            [area_codes.index(i.area) for i in config.indicators],
        ),
        ("pillars", area_codes, pillar_codes, [pillar_codes.index(a.parent) for a in config.areas]),
        ("index", pillar_codes, ["index"], [0] * len(pillar_codes)),
    )
    grouped = ("group_mean", "group_median")
    if groups is None and any(lvl.imputation in grouped for lvl in config.levels.values()):
        raise ValueError("Group imputation needs a group for each city.")
    first = config.level("areas")
    imputed = impute(x, first.imputation, groups, np.asarray(structure[0][3]))
    treatments: list[Treatment] = []
    for row in imputed:
        if first.outliers:
            _, t = treat(row, **first.outlier_params)
        else:
            t = Treatment()
        treatments.append(t)
    plan = Plan(
        config=config,
        levels=(),
        treatments=tuple(treatments),
        groups=None if groups is None else np.asarray(groups),
        polarity=np.array([i.polarity for i in config.indicators], dtype=float),
        low=np.array([i.low for i in config.indicators], dtype=float),
        high=np.array([i.high for i in config.indicators], dtype=float),
        targets=np.array(
            [np.nan if i.target is None else i.target for i in config.indicators], dtype=float
        ),
    )
    levels: list[LevelPlan] = []
    current = x[None]
    for name, children, parents, parent_of in structure:
        methods = config.level(name)
        parent_arr = np.asarray(parent_of, dtype=int)
        prepared = _prepare_inputs(methods, current, plan, name == "areas", parent_arr)[0]
        w = np.zeros(len(children))
        for p in range(len(parents)):
            members = np.flatnonzero(parent_arr == p)
            w[members] = node_weights(
                methods.weights,
                [children[m] for m in members],
                manual_weights=methods.manual_weights,
                data=prepared[members],
            )
        lp = LevelPlan(name, methods, tuple(children), tuple(parents), parent_arr, w)
        levels.append(lp)
        current = _aggregate(methods, prepared[None], lp.matrix())
    return replace(plan, levels=tuple(levels))


def evaluate(
    plan: Plan,
    x: NDArray,
    multipliers: Mapping[str, NDArray] | None = None,
    *,
    grid: Grid | None = None,
) -> dict[str, NDArray]:
    """Scores for a batch: `x` is (runs, indicators, cities); returns each level's scores.

    `multipliers` optionally scales the base weights per run: {level: (runs, children)}.
    `grid` optionally says that `x` lies on a grid (`x == grid.values[grid.codes]`), which
    lets the indicator level count instead of sort; the scores are the same.
    """
    out: dict[str, NDArray] = {}
    current = x
    for lp in plan.levels:
        first = lp.name == "areas"
        prepared, terms = _inputs(
            lp.methods, current, plan, first, lp.parent_of, grid if first else None
        )
        mult = None if multipliers is None else multipliers.get(lp.name)
        # the prepared inputs are scratch once aggregated, unless they are the level's input
        own = not np.may_share_memory(prepared, current)
        current = _aggregate(lp.methods, prepared, lp.matrix(mult, dtype=x.dtype), own, terms)
        out[lp.name] = current
    out["index"] = out["index"][:, 0, :]
    return out


def point_levels(plan: Plan, values: NDArray) -> dict[str, NDArray]:
    """The point data at every level: "indicators" (imputed, treated and normalised, as
    aggregated), "areas", "pillars" (nodes, cities) and "index" (cities,)."""
    x = np.asarray(values, dtype=float).T[None]
    first = plan.levels[0]
    indicators = _prepare_inputs(first.methods, x, plan, True, first.parent_of)[0]
    out = evaluate(plan, x)
    return {
        "indicators": indicators,
        "areas": out["areas"][0],
        "pillars": out["pillars"][0],
        "index": out["index"][0],
    }


def competition_rank(scores: NDArray) -> NDArray:
    """Rank on the last axis, 1 = highest; ties share the best rank; NaN ranks last."""
    # the rank of the negated scores with ties at their lowest position; NaN as +inf
    negated = np.negative(scores)
    np.copyto(negated, np.inf, where=np.isnan(scores))
    return tie_ranks(negated, "min").astype(np.int32)


def to_score(index: NDArray) -> NDArray:
    """The published 0-100 score: the index rescaled between the lowest and highest city."""
    lo = np.fmin.reduce(index, axis=-1, keepdims=True)
    hi = np.fmax.reduce(index, axis=-1, keepdims=True)
    span = hi - lo
    return np.where(span > 0, 100 * (index - lo) / np.where(span > 0, span, 1), 50.0)


def compute(
    config: IndexConfig,
    values: NDArray,
    *,
    cities: tuple[str, ...] | list[str] | None = None,
    groups: NDArray | None = None,
    plan: Plan | None = None,
) -> IndexResult:
    """The point estimate: `values` is (cities, indicators) with NaN for missing values."""
    plan = plan or prepare(config, values, groups=groups)
    x = np.asarray(values, dtype=float).T[None]
    out = evaluate(plan, x)
    index = out["index"][0]
    names = tuple(cities) if cities is not None else tuple(str(i) for i in range(x.shape[-1]))
    return IndexResult(
        cities=names,
        index=index,
        score=to_score(index),
        rank=competition_rank(index),
        pillars={c: out["pillars"][0, i] for i, c in enumerate(plan.levels[1].parents)},
        areas={c: out["areas"][0, i] for i, c in enumerate(plan.levels[0].parents)},
        methods=plan.methods(),
    )
