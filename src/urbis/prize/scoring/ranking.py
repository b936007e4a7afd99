"""Ranking with an explicit tie-break chain, and advancement between rounds (Rules §7-8)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

# Keys where a larger value ranks first; the others (submission time, reference) rank
# the smaller value first.
DESCENDING = ("score", "median", "reviews")

# Numeric keys are compared at this many decimals: two aggregates that are equal in exact
# arithmetic (2.6 and 2.5999999999999996 from weights 0.2/0.3/0.5) are a tie, settled by
# the next key of the chain, not by floating-point noise. Scores are on a 1-5 scale; the
# noise of a weighted mean is around 1e-15, far below 1e-9.
DECIMALS = 9


def rank_order(keys: Sequence[str], columns: Mapping[str, npt.ArrayLike]) -> IntArray:
    """Indices of the applications, best first, comparing `keys` in order.

    Every key is a column in `columns` (criterion keys 'criterion:<code>' rank larger
    first too). The last key must be unique per application (the reference) so that the
    order is total: the same data always gives the same ranking. NaN ranks last. Numbers
    are compared at DECIMALS decimals.
    """
    sort_keys: list[npt.NDArray[np.float64] | npt.NDArray[np.str_]] = []
    for key in keys:
        col = np.asarray(columns[key])
        if col.dtype.kind in "fiu":
            f = np.round(col.astype(float), DECIMALS)
            desc = key in DESCENDING or key.startswith("criterion:")
            f = np.where(np.isnan(f), np.inf, -f if desc else f)
            sort_keys.append(f)
        else:
            sort_keys.append(col.astype(str))
    # np.lexsort sorts by the last key first.
    return np.lexsort(tuple(reversed(sort_keys))).astype(np.int64)


def ranks_within(groups: npt.ArrayLike, order: IntArray) -> IntArray:
    """1-based rank of each application within its group, given the overall order."""
    g = np.asarray(groups)
    ranks = np.zeros(g.size, dtype=np.int64)
    _, inverse = np.unique(g, return_inverse=True)
    # Cumulative count per group along the order: vectorised via a stable sort.
    ordered_groups = inverse[order]
    sorter = np.argsort(ordered_groups, kind="stable")
    sorted_groups = ordered_groups[sorter]
    starts = np.searchsorted(sorted_groups, sorted_groups, side="left")
    within = np.arange(sorted_groups.size) - starts + 1
    ranks_ordered = np.empty_like(within)
    ranks_ordered[sorter] = within
    ranks[order] = ranks_ordered
    return ranks


def advance(
    scores: FloatArray,
    ranks: IntArray,
    groups: npt.ArrayLike,
    *,
    mode: str,
    k: int | None = None,
    k_by_group: Mapping[str, int] | None = None,
    threshold: float | None = None,
) -> npt.NDArray[np.bool_]:
    """Who goes on to the next round, per category: the top k (k may differ per
    category) or everyone at or above a threshold. Ties at the cut are settled by the
    tie-break chain already folded into `ranks`."""
    g = np.asarray(groups).astype(str)
    if mode == "top_k":
        limits = np.full(g.size, -1 if k is None else k, dtype=np.int64)
        for name, value in (k_by_group or {}).items():
            limits[g == name] = value
        if (limits < 0).any():
            raise ValueError("Top-k advancement needs k for every category.")
        return (ranks <= limits) & ~np.isnan(scores)
    if mode == "threshold":
        if threshold is None:
            raise ValueError("Threshold advancement needs a threshold.")
        return np.nan_to_num(scores, nan=-np.inf) >= threshold
    raise ValueError(f"Unknown advancement rule '{mode}'.")
