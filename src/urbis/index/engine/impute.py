"""Imputation of missing values (NaN) per indicator across cities (cities on the last axis)."""

from __future__ import annotations

import warnings

import numpy as np
from numpy.typing import NDArray

from urbis.index.engine.masks import common_mask, fill_where
from urbis.index.engine.normalise import count_true

IMPUTATIONS = ("none", "mean", "median", "group_mean", "group_median", "row_mean", "row_median")


def _zeroed_mean(
    x: NDArray, missing: NDArray, common: NDArray | None = None
) -> tuple[NDArray, NDArray]:
    """(a copy of `x` with 0 where `missing`, each row's mean of its valid values);
    `common`: `missing`'s `masks.common_mask`, if known."""
    n = (x.shape[-1] - count_true(missing)[..., None]).astype(x.dtype)
    zeroed = x.copy()
    fill_where(zeroed, 0, missing, common)
    total = zeroed.sum(axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return zeroed, np.where(n > 0, total / np.maximum(n, 1), x.dtype.type(np.nan))


def column_mean(x: NDArray, missing: NDArray | None = None) -> NDArray:
    """Each row's mean of its valid values (`missing`: where `x` is NaN, if known)."""
    return _zeroed_mean(x, np.isnan(x) if missing is None else missing)[1]


def mean_imputed(x: NDArray, missing: NDArray) -> tuple[NDArray, NDArray]:
    """(`x` with each row's mean in place of its `missing` values, those means): the copy
    that sums the row serves as the result."""
    common = common_mask(missing)
    out, mean = _zeroed_mean(x, missing, common)
    fill_where(out, mean, missing, common)
    return out, mean


def _column_median(x: NDArray) -> NDArray:
    n = count_true(x == x)[..., None]
    ordered = np.sort(x, axis=-1)  # NaN sorts last
    lo = np.take_along_axis(ordered, np.maximum((n - 1) // 2, 0), axis=-1)
    hi = np.take_along_axis(ordered, np.maximum(n // 2, 0), axis=-1)
    return np.where(n > 0, (lo + hi) / 2, x.dtype.type(np.nan))


def _group_labels(groups: NDArray) -> tuple[NDArray, NDArray, NDArray]:
    """(labels, index of each city's label, whether the city has a group at all)."""
    g = np.asarray(groups, dtype=object)
    known = np.array([v is not None and v == v and v != "" for v in g], dtype=bool)
    names = np.where(known, g, "").astype(str)
    labels, index = np.unique(names, return_inverse=True)
    return labels, index, known


def _group_median(x: NDArray, groups: NDArray) -> NDArray:
    """Each city's group median of the indicator (one pass per group: groups are few)."""
    labels, index, known = _group_labels(groups)
    out = np.full(x.shape, np.nan, dtype=x.dtype)
    for g in range(labels.size):
        members = (index == g) & known
        if members.any():
            out[..., members] = _column_median(x[..., members])
    overall = _column_median(x[..., known]) if known.any() else np.nan
    return np.where(np.isnan(out) & known, overall, out)


def _row_fill(x: NDArray, siblings: NDArray, how: str, normalise_first: bool = True) -> NDArray:
    """Each missing value from its city's other indicators of the same parent: the
    indicators are min-max normalised first, the row's mean (or median) of its siblings is
    taken, then scaled back to the missing indicator's range (COINr's row-wise imputation
    with `normalise_first`)."""
    lo = np.fmin.reduce(x, axis=-1, keepdims=True)
    hi = np.fmax.reduce(x, axis=-1, keepdims=True)
    span = np.where(hi > lo, hi - lo, 1)
    if not normalise_first:
        lo, span = np.zeros_like(lo), np.ones_like(span)
    scaled = (x - lo) / span
    parent = np.asarray(siblings)
    fill = np.full(x.shape, np.nan, dtype=x.dtype)
    for p in np.unique(parent):
        rows = np.flatnonzero(parent == p)
        block = scaled[..., rows, :]
        with np.errstate(invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a city with no sibling value
            centre = (
                np.nanmean(block, axis=-2, keepdims=True)
                if how == "mean"
                else np.nanmedian(block, axis=-2, keepdims=True)
            )
        fill[..., rows, :] = np.broadcast_to(centre, block.shape)
    return fill * span + lo


def _group_mean(x: NDArray, groups: NDArray) -> NDArray:
    """Each city's group mean of the indicator; the overall mean where its group has none;
    a city without a group stays missing (as in COINr)."""
    labels, index, known = _group_labels(groups)
    onehot = np.zeros((x.shape[-1], labels.size), dtype=x.dtype)
    onehot[np.arange(x.shape[-1]), index] = 1
    valid = ~np.isnan(x)
    sums = np.where(valid, x, 0) @ onehot
    counts = valid.astype(x.dtype) @ onehot
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(counts > 0, sums / np.maximum(counts, 1), x.dtype.type(np.nan))
    per_city = means[..., index]
    filled = np.where(np.isnan(per_city), column_mean(x), per_city)
    return np.where(known, filled, x.dtype.type(np.nan))


def impute(
    x: NDArray,
    method: str,
    groups: NDArray | None = None,
    siblings: NDArray | None = None,
    *,
    normalise_first: bool = True,
) -> NDArray:
    """Fill NaN by `method` (one of IMPUTATIONS); "none" leaves the gaps to aggregation.

    Column-wise (per indicator, across cities): "mean", "median", and "group_mean" /
    "group_median", which need `groups` (one label per city, e.g. the HDI tier; None for a
    city without a group). Row-wise (per city, across the indicators of one parent):
    "row_mean" / "row_median", which need `siblings` (each indicator's parent index);
    the indicators are min-max normalised first unless `normalise_first` is False.
    """
    if method == "none":
        return x
    missing = x != x  # NaN (faster than isnan)
    if not missing.any():
        return x
    if method == "mean" and x.dtype.kind == "f":
        return mean_imputed(x, missing)[0]
    if method == "mean":
        fill = column_mean(x)
    elif method == "median":
        fill = _column_median(x)
    elif method == "group_mean":
        if groups is None:
            raise ValueError("Group-mean imputation needs a group for each city.")
        fill = _group_mean(x, groups)
    elif method == "group_median":
        if groups is None:
            raise ValueError("Group-median imputation needs a group for each city.")
        fill = _group_median(x, groups)
    elif method in ("row_mean", "row_median"):
        if siblings is None:
            raise ValueError("Row-wise imputation needs each indicator's parent.")
        fill = _row_fill(x, siblings, method.removeprefix("row_"), normalise_first)
    else:
        raise ValueError(f"Unknown imputation {method!r}; choose one of {IMPUTATIONS}.")
    # np.where(missing, fill, x), without its slow broadcast of `fill`
    out = x.astype(np.result_type(x, fill), copy=True)
    if np.ndim(fill) and fill.shape[-1] == 1:  # one value per row
        fill_where(out, fill, missing)
    else:
        np.copyto(out, np.broadcast_to(fill, x.shape), where=missing)
    return out
