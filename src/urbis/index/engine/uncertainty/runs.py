"""The batched evaluation of the runs: `simulate` groups runs that share their method
choices and evaluates them together, a few chunks at a time, through `pipeline.evaluate`."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from urbis.index.engine.grid import Grid
from urbis.index.engine.pipeline import Plan, competition_rank, counts_on_grid, evaluate, to_score
from urbis.index.engine.uncertainty.factors import Choices, UncertaintySpec
from urbis.index.engine.uncertainty.sampling import clip_places, over_runs, sample_shares

# Runs evaluated together at most (several chunks of the same method choices).
BATCH_RUNS = 32


@dataclass
class Simulation:
    ranks: NDArray  # (runs, cities), 1 = best
    scores: NDArray  # (runs, cities), 0-100


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
    clip_at = None
    if m:
        p = np.clip(point, 0, 1)
        sigma = (m * np.sqrt(p * (1 - p) / m)).astype(dtype)
        point_m = (point * m).astype(dtype)
        clip_at = clip_places(point_m, sigma, m)
    missing = np.flatnonzero(np.isnan(point))
    ranks = np.empty((runs, n), dtype=np.int32)
    scores = np.empty((runs, n), dtype=np.float32)

    combos = np.stack(
        [choices.normalisation, choices.aggregation, choices.imputation], axis=1
    ).astype(np.int64)
    order = np.lexsort(combos.T[::-1])
    # Runs sorted by their method choices; each group of equal choices is cut into chunks
    # of at most `spec.chunk` runs, numbered in this order (each its own random stream).
    ordered = combos[order]
    new_group = np.ones(runs, dtype=bool)
    new_group[1:] = (ordered[1:] != ordered[:-1]).any(axis=1)
    starts = np.flatnonzero(new_group).tolist()
    chunks: list[tuple[int, NDArray]] = []
    chunk_group: list[int] = []
    for group, (first, end) in enumerate(zip(starts, [*starts[1:], runs], strict=True)):
        for at in range(first, end, spec.chunk):
            chunks.append((len(chunks), order[at : min(at + spec.chunk, end)]))
            chunk_group.append(group)

    plans: dict[tuple[int, int, int], Plan] = {}
    for ni, ai, ii in np.unique(combos, axis=0).tolist():
        plans[(ni, ai, ii)] = plan.with_methods(
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
    batch_group, batch_runs = -1, 0
    for (number, idx), group in zip(chunks, chunk_group, strict=True):
        if (
            batches
            and group == batch_group
            and batch_runs + idx.size <= max(BATCH_RUNS, spec.chunk)
        ):
            batches[-1].append((number, idx))
            batch_runs += idx.size
        else:
            batches.append([(number, idx)])
            batch_group, batch_runs = group, idx.size
    grid_values = None
    # the missing and clipped shares' positions in a chunk of `spec.chunk` runs (a shorter
    # chunk takes the first ones)
    chunk_missing = over_runs(missing, spec.chunk, k * n)
    chunk_clip = None if clip_at is None else over_runs(clip_at, spec.chunk, k * n)
    clip_size = 0 if clip_at is None else clip_at.size
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
        scratch = np.empty(spec.chunk * k * n, np.intp) if sigma is not None else None
        for number, idx in batch:
            rng = np.random.default_rng([spec.seed, number])
            r = idx.size
            if sigma is not None and m:
                sample_shares(
                    point, point_m, sigma, m, rng, x[at : at + r],
                    None if codes is None else codes[at : at + r],
                    chunk_missing[: r * missing.size],
                    None if chunk_clip is None else chunk_clip[: r * clip_size],
                    flat=True, scratch=scratch,
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
