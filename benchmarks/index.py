"""Benchmark: Monte Carlo uncertainty of the index, batched vs. one pipeline call per run.

1,000 cities x 60 survey indicators (synthetic shares, 2 % missing), 10,000 runs of the
full pipeline (sampling error, imputation, normalisation, weights, three aggregation
levels, ranking, ratings), with the full factor set (method choices and the weights of
every level). Prints wall and CPU time, peak memory and the ratio against a
straightforward loop that calls the pipeline once per run with the same factors (timed
on a sample of runs and scaled to the full count), then the coherence audit of the same
edition. Goals: >= 15x the loop, < 2 GiB, < 8 s on a quiet machine; audit < 2 s.
On a shared machine compare CPU times (`time.process_time`, all threads): wall time there
mostly measures waiting for a core. `--repeat N` measures batched and loop N times in one
process and prints the median ratio.

The loop passes no grid to `evaluate`, so it ranks by sorting (the general path), as any
caller without the Monte Carlo's knowledge that the shares are whole respondents would.
Run: python benchmarks/index.py [--runs N] [--loop-runs N] [--repeat N]
"""

from __future__ import annotations

import os

# Small matrix products: one BLAS thread each; parallelism comes from our own threads.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from urbis.index.engine.audit import audit
from urbis.index.engine.config import AREAS, PILLARS, published_structure
from urbis.index.engine.memory import keep_freed_memory
from urbis.index.engine.pipeline import competition_rank, evaluate, prepare
from urbis.index.engine.ratings import hdi_tiers, rate
from urbis.index.engine.uncertainty import (
    UncertaintySpec,
    analyse,
    draw_choices,
)

CUTPOINTS = {
    1: {"AAA": 85, "AA": 70, "A": 55, "BBB": 40},
    2: {"A": 75, "BBB": 60, "BB": 45, "B": 30},
    3: {"BB": 65, "B": 50, "CCC": 35, "CC": 20},
    4: {"CCC": 55, "CC": 40, "C": 25},
}


def synthetic(cities: int, per_area: int, seed: int = 1):
    items = [
        (f"{p}.{a}.{j}", p, a, "") for p, _ in PILLARS for a, _ in AREAS for j in range(per_area)
    ]
    config = published_structure(items)
    rng = np.random.default_rng(seed)
    level = rng.uniform(0.3, 0.7, (cities, 1))
    values = np.clip(level + rng.normal(0, 0.12, (cities, len(items))), 0, 1)
    values = np.round(values * 120) / 120
    values[rng.random(values.shape) < 0.02] = np.nan
    tiers = hdi_tiers(rng.uniform(0.45, 0.95, cities))
    return config, values, tiers


def loop(plan, values, spec, tiers, runs):
    """The straightforward way: one pipeline call per run, exact binomial draws; the same
    factor set (methods and every level's weights) as the batched analysis."""
    choices = draw_choices(spec, np.random.default_rng(spec.seed), plan)
    assert choices.multipliers is not None
    p = values.T
    for r in range(runs):
        rng = np.random.default_rng([spec.seed, r])
        x = np.where(np.isnan(p), np.nan, rng.binomial(120, np.nan_to_num(p)) / 120)
        variant = plan.with_methods(
            normalisation=spec.normalisations[choices.normalisation[r]],
            aggregation=spec.aggregations[choices.aggregation[r]],
            imputation=spec.imputations[choices.imputation[r]],
        )
        mult = {k: v[r : r + 1] for k, v in choices.multipliers.items()}
        index = evaluate(variant, x[None], mult)["index"]
        competition_rank(index)
        lo, hi = np.nanmin(index), np.nanmax(index)
        rate(100 * (index - lo) / (hi - lo), tiers[None], CUTPOINTS)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cities", type=int, default=1000)
    parser.add_argument("--per-area", type=int, default=6)  # 10 areas x 6 = 60 indicators
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--loop-runs", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=1, help="batched and loop, N times")
    args = parser.parse_args()
    keep_freed_memory()

    config, values, tiers = synthetic(args.cities, args.per_area)
    plan = prepare(config, values)
    spec = UncertaintySpec(runs=args.runs, seed=2023, dtype="float32", workers=args.workers)
    print(
        f"{args.cities} cities x {values.shape[1]} indicators, {args.runs} runs, "
        f"{args.workers} threads, float32; load average {os.getloadavg()[0]:.2f}"
    )

    ratios: list[float] = []
    for repetition in range(args.repeat):
        if args.repeat > 1:
            print(f"repetition {repetition + 1} of {args.repeat}")
        wall, cpu = time.perf_counter(), time.process_time()
        result = analyse(plan, values, spec, tiers=tiers, cutpoints=CUTPOINTS)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB -> MiB
        width = float(np.mean(result.rank_p95 - result.rank_p05))
        print(f"batched:  {wall:7.2f} s wall, {cpu:7.2f} s CPU, peak memory {peak:,.0f} MiB")
        print(f"          mean 5-95 % rank interval width {width:.1f} places")

        loop_spec = UncertaintySpec(runs=args.loop_runs, seed=2023)
        lwall, lcpu = time.perf_counter(), time.process_time()
        loop(plan, values, loop_spec, tiers, args.loop_runs)
        lwall, lcpu = time.perf_counter() - lwall, time.process_time() - lcpu
        scale = args.runs / args.loop_runs
        print(
            f"per-run loop: {lwall:7.2f} s wall for {args.loop_runs} runs "
            f"-> {lwall * scale:7.1f} s for {args.runs} (CPU {lcpu * scale:.1f} s)"
        )
        ratios.append(lcpu * scale / cpu)
        print(
            f"ratio loop / batched: {lwall * scale / wall:.1f}x wall, {ratios[-1]:.1f}x CPU; "
            f"load average {os.getloadavg()[0]:.2f}"
        )
    if args.repeat > 1:
        shown = ", ".join(f"{r:.1f}x" for r in ratios)
        print(f"CPU ratio per repetition: {shown}; median {statistics.median(ratios):.1f}x")

    awall, acpu = time.perf_counter(), time.process_time()
    report = audit(plan, values)
    awall, acpu = time.perf_counter() - awall, time.process_time() - acpu
    print(
        f"coherence audit: {awall:7.2f} s wall, {acpu:.2f} s CPU ({len(report.pairs)} pairs, "
        f"{len(report.alphas)} alphas, {len(report.flagged())} flags)"
    )


if __name__ == "__main__":
    main()
