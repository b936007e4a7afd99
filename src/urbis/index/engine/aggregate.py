"""Aggregation of children into their parent: arithmetic, geometric or harmonic means.

`values` is (..., children, cities); `weights` is (..., parents, children) — row p holds
the weights of parent p's children and zero elsewhere (a block matrix), so one matrix
product aggregates every parent at once, for every run of a batch. Missing children (NaN)
are skipped and the remaining weights renormalised.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

AGGREGATIONS = ("arithmetic", "geometric", "harmonic")


def rescale_positive(x: NDArray) -> NDArray:
    """Min-max to [1, 100] per child: geometric and harmonic means need positive inputs."""
    lo = np.fmin.reduce(x, axis=-1, keepdims=True)
    hi = np.fmax.reduce(x, axis=-1, keepdims=True)
    span = hi - lo
    scaled = (x - lo) / np.where(span > 0, span, 1)
    f = x.dtype.type
    return f(1) + f(99) * np.where(span > 0, scaled, np.where(np.isnan(x), f(np.nan), f(0.5)))


def aggregate(values: NDArray, weights: NDArray, method: str) -> NDArray:
    """Weighted means of children per parent: (..., children, cities) → (..., parents, cities).

    Geometric and harmonic means require positive values (see `rescale_positive`).
    """
    if method not in AGGREGATIONS:
        raise ValueError(f"Unknown aggregation {method!r}; choose one of {AGGREGATIONS}.")
    valid = ~np.isnan(values)
    w = weights.astype(values.dtype, copy=False)
    if method != "arithmetic" and valid.any() and np.fmin.reduce(values, axis=None) <= 0:
        raise ValueError(f"{method.capitalize()} aggregation needs positive values.")
    complete = bool(valid.all())
    if method == "arithmetic":
        terms = values if complete else np.where(valid, values, 0)
    elif method == "geometric":
        terms = np.log(values if complete else np.where(valid, values, 1))
    else:
        terms = 1 / (values if complete else np.where(valid, values, 1))
    numerator = w @ terms
    denominator = w.sum(axis=-1)[..., None] if valid.all() else w @ valid.astype(values.dtype)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = numerator / denominator
        if method == "geometric":
            mean = np.exp(mean)
        elif method == "harmonic":
            mean = 1 / mean
    return np.where(denominator > 0, mean, values.dtype.type(np.nan))
