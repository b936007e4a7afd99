"""Computing an edition: the point index, tiers and ratings, Monte Carlo rank intervals and
Sobol indices, stored as a new computation."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction

from urbis.common.actor import Actor
from urbis.common.audit import audit_record
from urbis.index import rules
from urbis.index.engine.pipeline import compute, prepare
from urbis.index.engine.pooling import WAVE_WEIGHTS, describe_weights, pool
from urbis.index.engine.ratings import grade_names, rate
from urbis.index.engine.sensitivity import sobol_indices
from urbis.index.engine.uncertainty import UncertaintySpec, analyse
from urbis.index.models import (
    CityResult,
    Computation,
    Edition,
)
from urbis.index.queries import edition_config, edition_data


def _finite(value: Any, digits: int = 6) -> float | None:
    """A float for JSON (PostgreSQL's jsonb refuses NaN): None when missing."""
    number = float(value)
    return round(number, digits) if math.isfinite(number) else None


def index_compute(
    *,
    edition: Edition,
    actor: Actor,
    runs: int = 1000,
    seed: int = 2023,
    sobol_samples: int = 256,
    workers: int = 1,
    progress: Callable[[int], None] | None = None,
) -> Computation:
    """Compute an edition: pooled survey shares → point index, tiers and ratings, Monte Carlo
    rank intervals and rating probabilities, Sobol indices; stored as a new computation."""
    data = edition_data(edition)
    problems = []
    if len(data.cities) < 4:
        problems.append("at least 4 cities with an HDI are needed to form four tiers")
    if not data.items:
        problems.append("the edition has no survey item")
    pooled = pool(data.values, WAVE_WEIGHTS)
    if data.items:
        empty = [c.name for j, c in enumerate(data.cities) if np.isnan(pooled.values[j]).all()]
        if empty:
            problems.append(
                f"no survey value in waves {', '.join(map(str, data.waves))} for: "
                + ", ".join(empty)
            )
    if problems:
        raise ValidationError(problems)
    config = edition_config(edition, data.items)
    tiers = rules.hdi_tiers(data.hdi)
    plan = prepare(config, pooled.values, groups=tiers)
    point = compute(config, pooled.values, groups=tiers, plan=plan)
    spec = UncertaintySpec(
        runs=runs,
        seed=seed,
        respondents=edition.respondents,
        imputations=("none", "mean", "median", "group_mean"),
        workers=workers,
    )
    mc = analyse(
        plan, pooled.values, spec, tiers=tiers, cutpoints=edition.cutpoints, progress=progress
    )
    sobol = (
        sobol_indices(plan, pooled.values, spec, base_samples=sobol_samples)
        if sobol_samples
        else None
    )
    ratings = grade_names(rate(point.score, tiers, edition.cutpoints))
    with transaction.atomic():
        computation = Computation.objects.create(
            edition=edition,
            computed_by=actor.user,
            runs=runs,
            seed=seed,
            waves=data.waves,
            methods=point.methods,
            uncertainty={k: v for k, v in spec.as_dict().items() if k not in {"workers", "chunk"}},
            sensitivity=[
                {k: _finite(v) if isinstance(v, float) else v for k, v in row.items()}
                for row in (sobol.as_rows() if sobol else [])
            ],
            synthetic=edition.synthetic,
        )
        results = []
        for j, city in enumerate(data.cities):
            present = ~np.isnan(data.values[:, j, :]).all(axis=1)
            w = np.where(present, np.asarray(WAVE_WEIGHTS[: len(data.waves)]), 0.0)
            w = w / w.sum() if w.sum() else w
            results.append(
                CityResult(
                    computation=computation,
                    city=city,
                    tier=int(tiers[j]),
                    hdi=float(data.hdi[j]),
                    score=_finite(point.score[j]),
                    rank=int(point.rank[j]),
                    rating=ratings[j],
                    median_rank=int(mc.median_rank[j]),
                    rank_low=int(mc.rank_p05[j]),
                    rank_high=int(mc.rank_p95[j]),
                    rating_probabilities={
                        g: round(p, 4) for g, p in mc.rating_probability(j).items()
                    },
                    pillars={k: _finite(v[j]) for k, v in point.pillars.items()},
                    areas={k: _finite(v[j]) for k, v in point.areas.items()},
                    pooling={
                        "weights": {
                            str(y): round(float(x), 4) for y, x in zip(data.waves, w, strict=True)
                        },
                        "statement": describe_weights(w.tolist(), data.waves),
                    },
                )
            )
        CityResult.objects.bulk_create(results)
        audit_record(
            actor=actor,
            action="index.compute",
            target=computation,
            after={"edition": edition.year, "runs": runs, "seed": seed, "cities": len(results)},
        )
    return computation
