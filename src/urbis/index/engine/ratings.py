"""HDI tiers and letter ratings with per-tier, shifted and overlapping scales.

Cities are grouped into four tiers by the quartiles of their city-level Human Development
Index within the edition (tier 1: the top quartile). Each tier rates on its own window of
the grade scale AAA … D — tier 1: AAA-BB, tier 2: A-CCC, tier 3: BB-C, tier 4: CCC-D —
so that a city is rated against cities of similar development. The cut-points (the lowest
0-100 score of each grade but the tier's last) are data published with each edition.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

GRADES = ("AAA", "AA", "A", "BBB", "BB", "B", "CCC", "CC", "C", "D")
TIER_SCALES: dict[int, tuple[str, ...]] = {
    1: GRADES[0:5],  # AAA-BB
    2: GRADES[2:7],  # A-CCC
    3: GRADES[4:9],  # BB-C
    4: GRADES[6:10],  # CCC-D
}
TIERS = (1, 2, 3, 4)

Cutpoints = Mapping[Any, Mapping[str, float]]  # tier (int, or str as stored in JSON)


def hdi_tiers(hdi: Sequence[float] | NDArray) -> NDArray:
    """Tier 1-4 per city by quartile of HDI (linear quantiles; a city on a quartile goes up).

    Tier 1: HDI ≥ Q3; tier 2: Q2 ≤ HDI < Q3; tier 3: Q1 ≤ HDI < Q2; tier 4: HDI < Q1.
    """
    h = np.asarray(hdi, dtype=float)
    if h.size == 0:
        return np.zeros(0, dtype=int)
    if np.isnan(h).any():
        raise ValueError("Every city needs an HDI value to be given a tier.")
    q1, q2, q3 = np.quantile(h, [0.25, 0.5, 0.75])
    return np.where(h >= q3, 1, np.where(h >= q2, 2, np.where(h >= q1, 3, 4)))


def validate_cutpoints(cutpoints: Cutpoints) -> list[str]:
    """Errors in a cut-point table (empty if valid).

    Each tier lists every grade of its scale except the last, with strictly decreasing
    minimum scores within 0-100.
    """
    errors = []
    for tier in TIERS:
        scale = TIER_SCALES[tier]
        given = cutpoints.get(tier) or cutpoints.get(str(tier)) or {}
        expected = set(scale[:-1])
        if set(given) != expected:
            errors.append(
                f"tier {tier}: cut-points must be given for {', '.join(scale[:-1])} "
                f"(the lowest grade {scale[-1]} takes the rest)"
            )
            continue
        values = [float(given[g]) for g in scale[:-1]]
        if any(not 0 <= v <= 100 for v in values):
            errors.append(f"tier {tier}: cut-points must lie within 0-100")
        if any(a <= b for a, b in itertools.pairwise(values)):
            errors.append(f"tier {tier}: cut-points must decrease strictly from {scale[0]}")
    return errors


def _table(cutpoints: Cutpoints) -> dict[int, tuple[NDArray, NDArray]]:
    errors = validate_cutpoints(cutpoints)
    if errors:
        raise ValueError("Invalid cut-points: " + "; ".join(errors))
    table = {}
    for tier in TIERS:
        scale = TIER_SCALES[tier]
        given = cutpoints.get(tier) or cutpoints.get(str(tier)) or {}
        thresholds = np.array([float(given[g]) for g in scale[:-1]])
        grades = np.array([GRADES.index(g) for g in scale])
        table[tier] = (thresholds, grades)
    return table


def rate(scores: NDArray, tiers: NDArray, cutpoints: Cutpoints) -> NDArray:
    """Grade index (0 = AAA … 9 = D) per score; `tiers` broadcasts against `scores`.

    A score at a cut-point earns that grade: with AAA at 80, 80.0 is AAA, 79.99 is AA.
    A missing score (NaN) gets -1: no rating.

    Each tier's scale is a run of consecutive grades, so a score's grade is its tier's
    first grade plus the number of the tier's cut-points strictly above the score. The
    cut-points are looked up per tier value (a few per city), not per score, so rating
    the scores of many runs at once costs a handful of comparisons per score.
    """
    s = np.asarray(scores)
    if s.dtype.kind != "f":
        s = s.astype(float)
    given = np.asarray(tiers)
    shape = np.broadcast_shapes(s.shape, given.shape)
    if np.prod(shape) and not np.isin(given, TIERS).all():
        raise ValueError("Every city needs a tier between 1 and 4.")
    table = _table(cutpoints)
    width = max(thresholds.size for thresholds, _ in table.values())
    # per tier: its cut-points padded with -inf (never above a score), its first grade
    cuts = np.full((max(TIERS) + 1, width), -np.inf)
    first = np.zeros(max(TIERS) + 1, dtype=np.int8)
    for tier, (thresholds, grades) in table.items():
        cuts[tier, : thresholds.size] = thresholds
        first[tier] = grades[0]
    index = np.where(np.isin(given, TIERS), given, 0).astype(np.intp)
    per_tier = cuts[index]  # (*tiers.shape, width), float64: exact against any score
    out = np.broadcast_to(first[index], shape).astype(np.int8)
    for j in range(width):
        out += per_tier[..., j] > s
    out[np.isnan(s)] = -1  # no score, no rating
    return out


def grade_names(indices: NDArray) -> list[str]:
    return [GRADES[int(i)] if i >= 0 else "" for i in np.ravel(indices)]


def _thresholds_for(cuts: NDArray, dtype: np.dtype) -> NDArray:
    """Cut-points `cuts` (float64) for comparing scores of `dtype`: `s < t` exactly when
    `s < cut`. For float32 scores each cut-point is rounded up to the next float32 (no
    float32 lies between the two), so the comparison needs no cast of every score."""
    if dtype != np.float32:
        return cuts
    rounded = cuts.astype(np.float32)
    below = rounded < cuts
    rounded[below] = np.nextafter(rounded[below], np.float32(np.inf))
    return rounded


def grade_counts(scores: NDArray, tiers: NDArray, cutpoints: Cutpoints) -> NDArray:
    """(cities, grades): how many rows of `scores` (runs, cities) give each city each
    grade, as `rate` grades them (a missing score: none).

    Rating every score is not needed: with a tier's cut-points c1 > c2 > …, a score has
    grade first + i when exactly i cut-points lie above it, so the count of grade first
    + i is the number of scores below c_i less the number below c_(i+1) (below c0 = every
    known score). One comparison per cut-point and city, summed over the runs.
    """
    s = np.asarray(scores)
    if s.dtype.kind != "f":
        s = s.astype(float)
    given = np.asarray(tiers)
    if given.size and not np.isin(given, TIERS).all():
        raise ValueError("Every city needs a tier between 1 and 4.")
    table = _table(cutpoints)
    width = max(thresholds.size for thresholds, _ in table.values())
    n = s.shape[1]
    cuts = np.full((width, n), -np.inf)  # -inf: no cut-point, no score below it
    first = np.zeros(n, dtype=np.intp)
    for tier, (thresholds, grades) in table.items():
        members = given == tier
        cuts[: thresholds.size, members] = thresholds[:, None]
        first[members] = grades[0]
    cuts = _thresholds_for(cuts, s.dtype)
    # below[i]: the known scores with at least i cut-points above them
    below = np.empty((width + 2, n), dtype=np.intp)
    below[0] = _column_count(s == s)
    for j in range(width):
        below[j + 1] = _column_count(s < cuts[j])
    below[-1] = 0
    counts = np.zeros((n, len(GRADES)), dtype=np.intp)
    cities = np.arange(n)
    for i in range(width + 1):
        grade = first + i
        fits = grade < len(GRADES)
        counts[cities[fits], grade[fits]] += (below[i] - below[i + 1])[fits]
    return counts


def _column_count(mask: NDArray) -> NDArray:
    """Each column's number of True values of `mask` (runs, cities)."""
    return np.add.reduce(mask.view(np.uint8), axis=0, dtype=np.int32).astype(np.intp)
