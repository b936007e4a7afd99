"""Monte Carlo uncertainty analysis, batched.

Each run draws a normalisation, an aggregation and an imputation method from the
alternatives of the spec, multiplies every weight by a factor drawn from
U(1 - ε, 1 + ε), and — for survey shares — redraws each city's share with the sampling
error of a survey of `respondents` residents (binomial variance p(1 - p)/m, normal
approximation, rounded to whole respondents and kept within [0, 1]).

Runs that share the same method choices are evaluated together, a few at a time, as
(runs, indicators, cities) arrays through `pipeline.evaluate`, optionally on several
threads (NumPy releases the GIL in its array operations). Every chunk of runs has its own
random stream derived from (seed, chunk number), so a seed reproduces the same results
whatever the number of threads.
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

from urbis.index.engine.pipeline import Plan, competition_rank, evaluate, to_score
from urbis.index.engine.ratings import GRADES, Cutpoints, rate

ALL_NORMALISATIONS = ("minmax", "zscore", "rank", "percentile", "distance", "goalposts")
ALL_AGGREGATIONS = ("arithmetic", "geometric", "harmonic")
ALL_IMPUTATIONS = ("none", "mean", "median")

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


def draw_choices(spec: UncertaintySpec, rng: np.random.Generator) -> Choices:
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


def _sampled(
    point: NDArray, point_m: NDArray, sigma: NDArray, m: int, runs: int, rng: np.random.Generator
) -> NDArray:
    """`runs` redraws of the shares `point` (indicators, cities) with survey sampling error."""
    table = _TABLES[point.dtype]
    size = runs * point.size
    raw = rng.bit_generator.random_raw((size + 3) // 4).view(np.uint16)[:size]
    x = np.take(table, raw).reshape((runs, *point.shape))
    x *= sigma  # sigma = m * standard error, so x counts respondents
    x += point_m
    np.rint(x, out=x)
    np.clip(x, 0, m, out=x)
    x *= point.dtype.type(1 / m)
    return x


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
    sizes = {lp.name: len(lp.children) for lp in plan.levels}
    lock = threading.Lock()
    done = [0]

    def work(item: tuple[int, NDArray]) -> None:
        number, idx = item
        rng = np.random.default_rng([spec.seed, number])
        r = idx.size
        if sigma is not None and m:
            x = _sampled(point, point_m, sigma, m, r, rng)
        else:
            x = np.broadcast_to(point, (r, k, n))
        if choices.multipliers is not None:
            mult = {name: np.asarray(v)[idx] for name, v in choices.multipliers.items()}
        elif spec.weight_noise > 0:
            eps = spec.weight_noise
            mult = {name: rng.uniform(1 - eps, 1 + eps, (r, c)) for name, c in sizes.items()}
        else:
            mult = None
        key = tuple(int(v) for v in combos[idx[0]])
        out = evaluate(plans[key], x, mult)  # type: ignore[index]
        index = out["index"]
        ranks[idx] = competition_rank(index)
        scores[idx] = to_score(index)
        if progress:
            with lock:
                done[0] += r
                progress(done[0])

    if spec.workers > 1:
        with ThreadPoolExecutor(spec.workers) as pool:
            list(pool.map(work, chunks))
    else:
        for item in chunks:
            work(item)
    return Simulation(ranks=ranks, scores=scores)


def rating_probabilities(scores: NDArray, tiers: NDArray, cutpoints: Cutpoints) -> NDArray:
    """(cities, grades): the share of runs giving each city each grade."""
    grades = rate(scores, np.asarray(tiers)[None, :], cutpoints).astype(np.int64)
    runs, n = grades.shape
    valid = grades >= 0
    flat = (np.arange(n)[None, :] * len(GRADES) + grades)[valid]
    counts = np.bincount(flat, minlength=n * len(GRADES)).reshape(n, len(GRADES))
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
    choices = draw_choices(spec, rng)
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
