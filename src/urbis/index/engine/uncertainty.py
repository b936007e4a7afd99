"""Monte Carlo uncertainty analysis, batched.

The uncertain inputs are one set of factors (`factor_set`), shared with the Sobol analysis:
the normalisation, the aggregation and the imputation method (each a uniform factor on [0,
1) cut into one slice per alternative) and one weight factor per child at every level the
spec declares uncertain (`weight_levels`; the weight multiplied by 1 - ε + 2ε·u). Each run
draws every factor uniformly, and — for survey shares — redraws each city's share with the
sampling error of a survey of `respondents` residents (binomial variance p(1 - p)/m, normal
approximation, rounded to whole respondents and kept within [0, 1]).

Runs that share the same method choices are evaluated together, a few at a time, as (runs,
indicators, cities) arrays through `pipeline.evaluate`, optionally on several threads (NumPy
releases the GIL in its array operations). Every chunk of runs has its own random stream
derived from (seed, chunk number), so a seed reproduces the same results whatever the number
of threads.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.special import ndtri

from urbis.index.engine.grid import Grid
from urbis.index.engine.pipeline import Plan, competition_rank, counts_on_grid, evaluate, to_score
from urbis.index.engine.ratings import GRADES, Cutpoints, rate

ALL_NORMALISATIONS = ("minmax", "zscore", "rank", "percentile", "distance", "goalposts")
ALL_AGGREGATIONS = ("arithmetic", "geometric", "harmonic")
ALL_IMPUTATIONS = ("none", "mean", "median")

# Runs evaluated together at most (several chunks of the same method choices).
BATCH_RUNS = 32

# Normal quantiles at 65,536 equally likely levels: a normal draw from 16 random bits.
_NORMAL_TABLE = ndtri((np.arange(65536) + 0.5) / 65536)
_TABLES = {
    np.dtype(np.float64): _NORMAL_TABLE,
    np.dtype(np.float32): _NORMAL_TABLE.astype(np.float32),
}


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


@dataclass
class Simulation:
    ranks: NDArray  # (runs, cities), 1 = best
    scores: NDArray  # (runs, cities), 0-100


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


def _sampled(
    point: NDArray,
    point_m: NDArray,
    sigma: NDArray,
    m: int,
    rng: np.random.Generator,
    out: NDArray,
    codes: NDArray | None = None,
) -> None:
    """Redraws of the shares `point` (indicators, cities) with survey sampling error, one
    per run of `out` (runs, indicators, cities), written there; with `codes` (shaped like
    `out`), also each value's place on the grid of the m + 1 possible shares (the drawn
    shares are whole numbers of respondents divided by m; m + 1 marks a missing value)."""
    table = _TABLES[point.dtype]
    x = out
    size = x.size
    raw = rng.bit_generator.random_raw((size + 3) // 4).view(np.uint16)[:size]
    np.take(table, raw, out=x.reshape(-1), mode="clip")  # every index is in range
    x *= sigma  # sigma = m * standard error, so x counts respondents
    x += point_m
    np.rint(x, out=x)
    np.clip(x, 0, m, out=x)
    if codes is not None:
        with np.errstate(invalid="ignore"):  # missing values: cast, then overwritten
            np.copyto(codes, x, casting="unsafe")
        np.copyto(codes, m + 1, where=np.isnan(point))  # missing in the point data
    x *= point.dtype.type(1 / m)


def simulate(
    plan: Plan,
    values: NDArray,
    choices: Choices,
    spec: UncertaintySpec,
    *,
    progress: Callable[[int], None] | None = None,
) -> Simulation:
    """Evaluate every run of `choices`; `values` is the point data (cities, indicators)."""
    dtype = np.dtype(spec.dtype)
    point = np.ascontiguousarray(np.asarray(values, dtype=float).T).astype(dtype)
    k, n = point.shape
    runs = choices.runs
    m = spec.respondents
    sigma = None
    point_m = point
    if m:
        p = np.clip(point, 0, 1)
        sigma = (m * np.sqrt(p * (1 - p) / m)).astype(dtype)
        point_m = (point * m).astype(dtype)
    ranks = np.empty((runs, n), dtype=np.int32)
    scores = np.empty((runs, n), dtype=np.float32)

    combos = np.stack(
        [choices.normalisation, choices.aggregation, choices.imputation], axis=1
    ).astype(np.int64)
    order = np.lexsort(combos.T[::-1])
    chunks: list[tuple[int, NDArray]] = []
    start = 0
    while start < runs:
        key = combos[order[start]]
        stop = start
        while stop < runs and stop - start < spec.chunk and (combos[order[stop]] == key).all():
            stop += 1
        chunks.append((len(chunks), order[start:stop]))
        start = stop

    plans: dict[tuple[int, int, int], Plan] = {}
    for key in {tuple(int(v) for v in c) for c in combos}:
        ni, ai, ii = key
        plans[key] = plan.with_methods(  # type: ignore[index]
            normalisation=spec.normalisations[ni] if ni >= 0 else None,
            aggregation=spec.aggregations[ai] if ai >= 0 else None,
            imputation=spec.imputations[ii] if ii >= 0 else None,
        )
    # the method choices whose indicator level counts on the grid instead of sorting
    counted = {key for key, p in plans.items() if counts_on_grid(p)}
    sizes = {lp.name: len(lp.children) for lp in plan.levels}
    lock = threading.Lock()
    done = [0]

    # Consecutive chunks of the same method choices go through the pipeline together (a
    # batch): fewer, larger array operations. Each chunk keeps its own random stream, and
    # every operation treats the runs of a batch independently, so the results do not
    # depend on the batching.
    batches: list[list[tuple[int, NDArray]]] = []
    for number, idx in chunks:
        last = batches[-1] if batches else None
        if (
            last is not None
            and (combos[last[0][1][0]] == combos[idx[0]]).all()
            and sum(i.size for _, i in last) + idx.size <= max(BATCH_RUNS, spec.chunk)
        ):
            last.append((number, idx))
        else:
            batches.append([(number, idx)])
    grid_values = None
    if m:
        grid_values = np.arange(m + 1, dtype=dtype) * dtype.type(1 / m)

    def work(batch: list[tuple[int, NDArray]]) -> None:
        idx_all = np.concatenate([idx for _, idx in batch])
        r_all = idx_all.size
        key = tuple(int(v) for v in combos[idx_all[0]])
        grid = None
        codes = None
        if sigma is not None and m:
            x = np.empty((r_all, k, n), dtype)
            if key in counted:
                codes = np.empty(x.shape, np.uint8 if m < 255 else np.uint16)
        else:
            x = np.broadcast_to(point, (r_all, k, n))
        parts: list[dict[str, NDArray]] = []
        at = 0
        for number, idx in batch:
            rng = np.random.default_rng([spec.seed, number])
            r = idx.size
            if sigma is not None and m:
                _sampled(
                    point, point_m, sigma, m, rng, x[at : at + r],
                    None if codes is None else codes[at : at + r],
                )  # fmt: skip
            if choices.multipliers is None and spec.weight_noise > 0:
                eps = spec.weight_noise
                parts.append(
                    {
                        name: rng.uniform(1 - eps, 1 + eps, (r, c))
                        for name, c in sizes.items()
                        if name in spec.weight_levels
                    }
                )
            at += r
        if codes is not None and grid_values is not None:
            grid = Grid(codes, grid_values)
        mult: dict[str, NDArray] | None
        if choices.multipliers is not None:
            mult = {name: np.asarray(v)[idx_all] for name, v in choices.multipliers.items()}
        elif parts:
            mult = {name: np.concatenate([p[name] for p in parts]) for name in parts[0]}
        else:
            mult = None
        out = evaluate(plans[key], x, mult, grid=grid)  # type: ignore[index]
        index = out["index"]
        ranks[idx_all] = competition_rank(index)
        scores[idx_all] = to_score(index)
        if progress:
            with lock:
                done[0] += r_all
                progress(done[0])

    if spec.workers > 1:
        with ThreadPoolExecutor(spec.workers) as pool:
            list(pool.map(work, batches))
    else:
        for batch in batches:
            work(batch)
    return Simulation(ranks=ranks, scores=scores)


def rating_probabilities(scores: NDArray, tiers: NDArray, cutpoints: Cutpoints) -> NDArray:
    """(cities, grades): the share of runs giving each city each grade."""
    grades = rate(scores, np.asarray(tiers)[None, :], cutpoints)
    runs, n = grades.shape
    size = n * len(GRADES)
    flat = grades.astype(np.intp)
    flat += (np.arange(n, dtype=np.intp) * len(GRADES))[None, :]
    flat[grades < 0] = size  # no rating: counted apart, then dropped
    counts = np.bincount(flat.ravel(), minlength=size + 1)[:size].reshape(n, len(GRADES))
    return counts / runs


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
