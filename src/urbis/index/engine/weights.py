"""Weights of the children of each node: equal, manual or PCA-based."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

WEIGHTINGS = ("equal", "manual", "pca")


def equal(k: int) -> NDArray:
    """1/k each."""
    if k < 1:
        raise ValueError("A node needs at least one child.")
    return np.full(k, 1.0 / k)


def manual(values: Sequence[float]) -> NDArray:
    """Given weights, rescaled to sum to 1; negative or all-zero weights are refused."""
    w = np.asarray(values, dtype=float)
    if w.size == 0 or np.any(w < 0) or not np.isfinite(w).all() or w.sum() <= 0:
        raise ValueError("Manual weights must be non-negative, finite and not all zero.")
    return w / w.sum()


def pca(x: NDArray) -> NDArray:
    """Squared loadings of the first principal component of the correlation matrix.

    `x` is (children, cities). The eigenvector has unit length, so the squared loadings
    sum to 1. Missing values are replaced by the child's mean for the correlation; a
    constant child (no variance), or fewer than 3 cities, falls back to equal weights.
    """
    x = np.asarray(x, dtype=float)
    k = x.shape[0]
    if k == 1:
        return np.ones(1)
    mean = np.nanmean(x, axis=1, keepdims=True)
    filled = np.where(np.isnan(x), mean, x)
    std = filled.std(axis=1)
    if x.shape[1] < 3 or np.any(~np.isfinite(std)) or np.any(std == 0):
        return equal(k)
    corr = np.corrcoef(filled)
    eigenvalues, eigenvectors = np.linalg.eigh(corr)
    first = eigenvectors[:, np.argmax(eigenvalues)]
    w = first**2
    return w / w.sum()


def node_weights(
    method: str,
    children: Sequence[str],
    *,
    manual_weights: Mapping[str, float] | None = None,
    data: NDArray | None = None,
) -> NDArray:
    """The weights of one node's children by `method` (one of WEIGHTINGS)."""
    if method == "equal":
        return equal(len(children))
    if method == "manual":
        given = manual_weights or {}
        missing = [c for c in children if c not in given]
        if missing:
            raise ValueError("Manual weights missing for: " + ", ".join(missing))
        return manual([given[c] for c in children])
    if method == "pca":
        if data is None:
            raise ValueError("PCA weights need the children's data.")
        return pca(data)
    raise ValueError(f"Unknown weighting {method!r}; choose one of {WEIGHTINGS}.")
