"""Weighted totals and aggregation of reviews (Rules §8).

Inputs are flat arrays of reviews (one row per assignment) so that 150,000 scores
aggregate in a few NumPy calls: `app` and `evaluator` are integer indices, `totals` the
weighted total of each review on the edition's scale.
"""

from __future__ import annotations

import warnings

import numpy as np
import numpy.typing as npt
from scipy import stats

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

METHODS = ("mean", "median", "trimmed", "calibrated")


def weighted_totals(scores: FloatArray, weights: FloatArray) -> FloatArray:
    """Each review's weighted mean over the criteria, on the scale of the scores.

    `scores` is (reviews x criteria) with NaN for a missing criterion: the weights of
    the criteria present are renormalised.
    """
    w = np.broadcast_to(np.asarray(weights, dtype=float), scores.shape)
    present = ~np.isnan(scores)
    wsum = np.where(present, w, 0.0).sum(axis=1)
    total = np.where(present, scores * w, 0.0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(wsum > 0, total / wsum, np.nan)


def calibrate(
    totals: FloatArray, evaluator: IntArray, *, scale_min: float, scale_max: float
) -> FloatArray:
    """Per-evaluator z-scores rescaled to the scale.

    Each evaluator's totals become z-scores against that evaluator's own mean and
    standard deviation, then are mapped back onto the scale with the pooled mean and
    standard deviation of all totals, and clipped to [scale_min, scale_max]. A harsh and a
    lenient evaluator who rank the same items alike therefore give the same calibrated
    scores. An evaluator with a single review or no spread keeps z = 0 (the pooled mean).

    A review without a total (NaN: e.g. its leaf weights sum to zero) stays NaN and is
    left out of every mean and standard deviation, so it cannot poison the others.
    """
    totals = np.asarray(totals, dtype=float)
    present = ~np.isnan(totals)
    n_ev = int(evaluator.max()) + 1 if evaluator.size else 0
    known = np.where(present, totals, 0.0)
    count = np.bincount(evaluator, weights=present.astype(float), minlength=n_ev)
    s1 = np.bincount(evaluator, weights=known, minlength=n_ev)
    s2 = np.bincount(evaluator, weights=known * known, minlength=n_ev)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = s1 / count
        var = np.maximum(s2 / count - mean * mean, 0.0)
    sd = np.sqrt(var)
    ok = sd[evaluator] > 1e-12
    z = np.where(ok, (totals - mean[evaluator]) / np.where(ok, sd[evaluator], 1.0), 0.0)
    pooled_mean = float(totals[present].mean()) if present.any() else 0.0
    pooled_sd = float(totals[present].std()) if present.any() else 0.0
    out = np.clip(pooled_mean + z * pooled_sd, scale_min, scale_max)
    return np.where(present, out, np.nan)


def _group(values: FloatArray, app: IntArray, n_apps: int) -> tuple[FloatArray, IntArray]:
    """Values padded into an (applications x max reviews) matrix with NaN."""
    order = np.lexsort((values, app))
    a, v = app[order], values[order]
    counts = np.bincount(a, minlength=n_apps)
    width = int(counts.max()) if counts.size else 0
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    pos = np.arange(a.size) - starts[a]
    matrix = np.full((n_apps, max(width, 1)), np.nan)
    matrix[a, pos] = v
    return matrix, counts


def aggregate(
    totals: FloatArray,
    app: IntArray,
    evaluator: IntArray,
    n_apps: int,
    *,
    method: str,
    trim: float = 0.2,
    scale_min: float = 1.0,
    scale_max: float = 5.0,
) -> FloatArray:
    """One score per application (NaN when it has no review) by `method`.

    Reviews without a total (NaN) are left out, as if they had not been given."""
    if method not in METHODS:
        raise ValueError(f"Unknown aggregation '{method}'; choose one of {', '.join(METHODS)}.")
    values = np.asarray(totals, dtype=float)
    present = ~np.isnan(values)
    if not present.all():
        values, app, evaluator = values[present], app[present], evaluator[present]
    if method == "calibrated":
        values = calibrate(values, evaluator, scale_min=scale_min, scale_max=scale_max)
        method = "mean"
    if method == "mean":
        count = np.bincount(app, minlength=n_apps).astype(float)
        s = np.bincount(app, weights=values, minlength=n_apps)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(count > 0, s / count, np.nan)
    matrix, counts = _group(values, app, n_apps)
    if method == "median":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            out = np.nanmedian(matrix, axis=1) if matrix.size else np.full(n_apps, np.nan)
        return np.where(counts > 0, out, np.nan)
    # Trimmed mean: rows are sorted; cut floor(trim x n) from each end of each row.
    cut = np.floor(trim * counts).astype(np.int64)
    cols = np.arange(matrix.shape[1])[None, :]
    keep = (cols >= cut[:, None]) & (cols < (counts - cut)[:, None])
    s = np.where(keep, np.nan_to_num(matrix), 0.0).sum(axis=1)
    k = keep.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(k > 0, s / k, np.nan)


def trimmed_mean_reference(values: FloatArray, trim: float) -> float:
    """SciPy's trimmed mean of one application's reviews (for cross-checks)."""
    return float(stats.trim_mean(values, trim))


def criterion_means(scores: FloatArray, app: IntArray, n_apps: int) -> FloatArray:
    """(applications x criteria) mean score per criterion, for tie-breaks."""
    present = ~np.isnan(scores)
    out = np.empty((n_apps, scores.shape[1]))
    for c in range(scores.shape[1]):
        cnt = np.bincount(app, weights=present[:, c].astype(float), minlength=n_apps)
        s = np.bincount(app, weights=np.nan_to_num(scores[:, c]), minlength=n_apps)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[:, c] = np.where(cnt > 0, s / cnt, np.nan)
    return out
