"""Aggregation of children into their parent: weighted means and Copeland outranking.

`values` is (..., children, cities); `weights` is (..., parents, children) — row p holds
the weights of parent p's children and zero elsewhere (a block matrix), so one matrix
product aggregates every parent at once, for every run of a batch. Missing children (NaN)
are skipped and the remaining weights renormalised; with a data-availability `threshold`
a parent whose share of available children falls below it is missing instead.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from urbis.index.engine.masks import common_mask, fill_where

AGGREGATIONS = ("arithmetic", "geometric", "harmonic", "generalised", "copeland")
# the means that need strictly positive inputs
POSITIVE = ("geometric", "harmonic")


def shift_positive(
    x: NDArray, *, overwrite: bool = False, lowest: NDArray | None = None
) -> NDArray:
    """Translate each child so its lowest value is 1 (geometric and harmonic means need
    positive inputs); with `overwrite`, in `x` itself. `lowest`: each row's lowest value
    (keepdims), where the caller knows it (a rank table holds values the row may lack).

    A translation keeps each normalisation's own spread. (An earlier min-max rescale to
    [1, 100] made every affine normalisation — min-max, z-score, distance, goalposts —
    identical, so the choice among them no longer mattered.)
    """
    lo = np.fmin.reduce(x, axis=-1, keepdims=True) if lowest is None else lowest
    f = x.dtype.type
    shift = np.where(np.isnan(lo), f(0), lo)
    if not shift.any():  # every lowest value is 0 (min-max, percentile): x - 0 is x
        return np.add(x, f(1), out=x if overwrite else None)
    out = np.subtract(x, shift, out=x if overwrite else None)
    out += f(1)
    return out


def term_transform(method: str, p: float | None = None) -> str | None:
    """The function a mean applies to each value before the weighted sum: "log"
    (geometric), "reciprocal" (harmonic), None for the others."""
    if method == "geometric" or (method == "generalised" and p == 0):
        return "log"
    if method == "harmonic":
        return "reciprocal"
    return None


def to_terms(values: NDArray, transform: str | None, overwrite: bool = False) -> NDArray:
    """`values` through `term_transform`'s function (in `values` with `overwrite`). Value
    by value, so it may be applied to a table of values before they are looked up."""
    out = values if overwrite else None
    if transform == "log":
        return np.log(values, out=out)
    if transform == "reciprocal":
        with np.errstate(divide="ignore"):
            return np.divide(1, values, out=out)
    return values


def _valid_share(missing: NDArray, dtype: np.dtype, common: NDArray | None = None) -> NDArray:
    """The valid values (not `missing`) as 0/1 values for the matrix product of the
    denominators. When every run of a batch misses the same values (the usual case: the
    point data's gaps), one run's mask serves them all, broadcast by the product
    (`common`: that run's missing mask)."""
    return (~(missing if common is None else common)).astype(dtype)


def _means(
    values: NDArray,
    w: NDArray,
    missing_values: NDArray,
    method: str,
    p: float | None,
    overwrite: bool = False,
    terms_given: bool = False,
):
    complete = not missing_values.any()
    missing = None if complete else missing_values
    # the missing values of every run of the batch, when they are the same (the usual case)
    common = None if missing is None else common_mask(missing)
    # the terms of the weighted sum, in `values` itself when the caller allows it
    if method == "arithmetic" or (method == "generalised" and p == 1):
        terms = values
        if missing is not None:
            terms = values if overwrite else values.copy()
            fill_where(terms, 0, missing, common)
        method = "arithmetic"
    elif transform := term_transform(method, p):
        if terms_given:  # the caller applied the transform already
            terms = values if overwrite or missing is None else values.copy()
        else:
            terms = to_terms(values, transform, overwrite)
        # a missing child adds nothing (log 1 = 0; it used to add w/1 to the sum of w/x)
        if missing is not None:
            fill_where(terms, 0, missing, common)
        method = "geometric" if transform == "log" else "harmonic"
    else:
        assert p is not None
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = values**p if missing is None else np.where(missing, 0, values**p)
    numerator = w @ terms
    share = None if missing is None else _valid_share(missing, values.dtype, common)
    denominator = w.sum(axis=-1)[..., None] if share is None else w @ share
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = numerator / denominator
        if method == "geometric":
            mean = np.exp(mean)
        elif method == "harmonic":
            mean = 1 / mean
        elif method == "generalised":
            mean = mean ** (1 / p)  # type: ignore[operator]
    if (denominator > 0).all():  # every parent has a child: the means alone
        return mean
    return np.where(denominator > 0, mean, values.dtype.type(np.nan))


def outranking(x: NDArray, w: NDArray | None = None) -> tuple[NDArray, int, float]:
    """The outranking matrix of `x` (children, cities), its number of dominant pairs (a
    city outranking another on every child's weight) and their share of all pairs.

    Entry (i, j): the weight share of the children where city i is above city j, plus
    half where they tie; the diagonal is 0.
    """
    k, n = x.shape
    weights = np.full(k, 1.0 / k) if w is None else np.asarray(w, dtype=float) / np.sum(w)
    above = (x[:, :, None] > x[:, None, :]).astype(float)
    tied = (x[:, :, None] == x[:, None, :]).astype(float)
    matrix = np.einsum("k,kij->ij", weights, above + tied / 2)
    np.fill_diagonal(matrix, 0)
    dominant = int(np.count_nonzero(np.isclose(matrix, 1)))
    return matrix, dominant, dominant / ((n * n - n) / 2)


def copeland(values: NDArray, weights: NDArray) -> NDArray:
    """Copeland scores per parent: (..., children, cities) → (..., parents, cities).

    For each pair of cities the outranking share is the weight of the children where the
    first is higher plus half the weight where they tie (COINr's outranking matrix; a
    missing value wins nothing); a city scores +1 for each rival it outranks with a share
    above 1/2 and -1 for each below 1/2.
    """
    out = np.empty((*weights.shape[:-1], values.shape[-1]), dtype=values.dtype)
    lead = values.shape[:-2]
    for p in range(weights.shape[-2]):
        lead_axes = tuple(range(weights.ndim - 2))
        members = np.flatnonzero(np.any(weights[..., p, :] != 0, axis=lead_axes))
        x = values[..., members, :]
        w = np.broadcast_to(weights[..., p, members], (*lead, members.size))
        w = w / w.sum(axis=-1, keepdims=True)
        above = (x[..., :, :, None] > x[..., :, None, :]).astype(values.dtype)
        tied = (x[..., :, :, None] == x[..., :, None, :]).astype(values.dtype)
        share = np.einsum("...k,...kij->...ij", w, above + tied / 2)
        scores = np.sign(share - 0.5)
        n = values.shape[-1]
        scores[..., np.arange(n), np.arange(n)] = 0
        out[..., p, :] = scores.sum(axis=-1)
    return out


def aggregate(
    values: NDArray,
    weights: NDArray,
    method: str,
    *,
    p: float | None = None,
    threshold: float | None = None,
    overwrite: bool = False,
    shifted: bool = False,
    terms: bool = False,
) -> NDArray:
    """Aggregate children per parent: (..., children, cities) → (..., parents, cities).

    "generalised" is the power mean of order `p` (1 arithmetic, 0 geometric, -1 harmonic).
    Geometric and harmonic means, and the generalised mean with p ≤ 0, need positive
    values (see `shift_positive`). `threshold` (0-1): the least share of a parent's
    children that must be available, else the parent is missing. With `overwrite` the
    means may use `values` as scratch space (the pipeline's own intermediate arrays);
    `shifted` says that `values` come from `shift_positive`, so need no positivity check.
    `terms` says that `values` already went through `to_terms` (the log of a geometric
    mean, the reciprocal of a harmonic one), as the pipeline does on a table of values.
    """
    if method not in AGGREGATIONS:
        raise ValueError(f"Unknown aggregation {method!r}; choose one of {AGGREGATIONS}.")
    if method == "generalised" and p is None:
        raise ValueError("The generalised mean needs its order p.")
    missing = values != values  # NaN
    w = weights.astype(values.dtype, copy=False)
    needs_positive = method in POSITIVE or (method == "generalised" and p is not None and p <= 0)
    checked = shifted or terms or not needs_positive
    if not checked and not missing.all() and np.fmin.reduce(values, axis=None) <= 0:
        raise ValueError(f"{method.capitalize()} aggregation needs positive values.")
    means = method != "copeland"
    if terms and not term_transform(method, p):
        raise ValueError(f"The {method} aggregation transforms no value.")
    result = (
        _means(values, w, missing, method, p, overwrite, terms) if means else copeland(values, w)
    )
    if threshold is not None:
        if not 0 <= threshold <= 1:
            raise ValueError("The data-availability threshold must lie between 0 and 1.")
        member = (w != 0).astype(values.dtype)
        share = (member @ (~missing).astype(values.dtype)) / member.sum(axis=-1)[..., None]
        result = np.where(share < threshold, values.dtype.type(np.nan), result)
    return result
