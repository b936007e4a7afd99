"""Imputation of missing values (NaN) per indicator across cities (cities on the last axis)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

IMPUTATIONS = ("none", "mean", "median", "group_mean")


def _column_mean(x: NDArray) -> NDArray:
    valid = ~np.isnan(x)
    n = valid.sum(axis=-1, keepdims=True).astype(x.dtype)
    total = np.where(valid, x, 0).sum(axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, total / np.maximum(n, 1), x.dtype.type(np.nan))


def _column_median(x: NDArray) -> NDArray:
    n = np.count_nonzero(~np.isnan(x), axis=-1)[..., None]
    ordered = np.sort(x, axis=-1)  # NaN sorts last
    lo = np.take_along_axis(ordered, np.maximum((n - 1) // 2, 0), axis=-1)
    hi = np.take_along_axis(ordered, np.maximum(n // 2, 0), axis=-1)
    return np.where(n > 0, (lo + hi) / 2, x.dtype.type(np.nan))


def _group_mean(x: NDArray, groups: NDArray) -> NDArray:
    """Each city's group mean of the indicator; the overall mean where its group has none."""
    labels, index = np.unique(np.asarray(groups), return_inverse=True)
    onehot = np.zeros((x.shape[-1], labels.size), dtype=x.dtype)
    onehot[np.arange(x.shape[-1]), index] = 1
    valid = ~np.isnan(x)
    sums = np.where(valid, x, 0) @ onehot
    counts = valid.astype(x.dtype) @ onehot
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(counts > 0, sums / np.maximum(counts, 1), x.dtype.type(np.nan))
    per_city = means[..., index]
    return np.where(np.isnan(per_city), _column_mean(x), per_city)


def impute(x: NDArray, method: str, groups: NDArray | None = None) -> NDArray:
    """Fill NaN by `method` (one of IMPUTATIONS); "none" leaves the gaps to aggregation.

    "group_mean" needs `groups` (one label per city, e.g. the HDI tier).
    """
    if method == "none":
        return x
    missing = np.isnan(x)
    if not missing.any():
        return x
    if method == "mean":
        fill = _column_mean(x)
    elif method == "median":
        fill = _column_median(x)
    elif method == "group_mean":
        if groups is None:
            raise ValueError("Group-mean imputation needs a group for each city.")
        fill = _group_mean(x, groups)
    else:
        raise ValueError(f"Unknown imputation {method!r}; choose one of {IMPUTATIONS}.")
    return np.where(missing, fill, x)
