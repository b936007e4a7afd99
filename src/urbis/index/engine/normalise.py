"""Normalisation of indicators across cities.

Layout used throughout the engine: cities on the LAST axis, indicators on the axis before
it, runs (if any) in front: ``(..., indicators, cities)``. Missing values are NaN and stay
NaN. `polarity` is +1 where more is better and -1 where less is better (per indicator).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from urbis.index.engine.masks import common_mask, fill_where

Array = NDArray[np.floating]

NORMALISATIONS = (
    "none",
    "minmax",
    "zscore",
    "rank",
    "percentile",
    "distance",
    "goalposts",
    "borda",
    "scaled",
    "target",
    "reference",
)
TIES = ("average", "min")


def _flip(x: Array, polarity: Sequence[float] | NDArray | None) -> Array:
    if polarity is None:
        return x
    sign = np.asarray(polarity, dtype=x.dtype)
    if np.all(sign == 1):
        return x
    return x * sign[:, None]


def count_true(mask: NDArray) -> NDArray:
    """`np.count_nonzero(mask, axis=-1)` for a boolean `mask` (as intp), several times
    faster: its bytes summed with a 16-bit accumulator where a row is short enough."""
    accumulator = np.uint16 if mask.shape[-1] < 2**16 else np.intp
    return np.add.reduce(mask.view(np.uint8), axis=-1, dtype=accumulator).astype(np.intp)


def _valid_count(x: Array) -> NDArray:
    return count_true(x == x)[..., None]


def minmax(x: Array, polarity=None, lower: float = 0.0, upper: float = 1.0) -> Array:
    """(x - min) / (max - min) per indicator, then onto [lower, upper] (COINr's l_u); a
    constant indicator gives the middle of the range."""
    if upper <= lower:
        raise ValueError("minmax: upper must exceed lower.")
    if (lower, upper) != (0.0, 1.0):
        f = x.dtype.type
        return f(lower) + f(upper - lower) * minmax(x, polarity)
    x = _flip(x, polarity)
    lo = np.fmin.reduce(x, axis=-1, keepdims=True)
    hi = np.fmax.reduce(x, axis=-1, keepdims=True)
    span = hi - lo
    out = x - lo
    if (span > 0).all():  # no constant indicator: the formula alone, in place
        out /= span
        return out
    safe = np.where(span > 0, span, 1)
    f = x.dtype.type
    return np.where(span > 0, out / safe, np.where(np.isnan(x), f(np.nan), f(0.5)))


def zscore(x: Array, polarity=None, mean: float = 0.0, sd: float = 1.0, ddof: int = 0) -> Array:
    """(x - mean) / standard deviation, then scaled to the given mean and sd (COINr's m_sd).

    urbis uses the population standard deviation (ddof = 0); ddof = 1 is R's `sd()`, as in
    COINr. A constant indicator gives `mean`.
    """
    if sd <= 0:
        raise ValueError("zscore: sd must be positive.")
    x = _flip(x, polarity)
    missing = x != x  # NaN (faster than isnan)
    n = (x.shape[-1] - count_true(missing)[..., None]).astype(x.dtype)
    common = common_mask(missing)
    filled = x.copy()
    fill_where(filled, 0, missing, common)
    centre = filled.sum(axis=-1, keepdims=True) / np.maximum(n, 1)
    dev = filled
    dev -= centre
    fill_where(dev, 0, missing, common)
    dev *= dev
    std = np.sqrt(dev.sum(axis=-1, keepdims=True) / np.maximum(n - ddof, 1))
    f = x.dtype.type
    if (std > 0).all():  # no constant indicator: the formula alone, in place
        z = x - centre
        z /= std
    else:
        safe = np.where(std > 0, std, 1)
        z = np.where(std > 0, (x - centre) / safe, np.where(missing, f(np.nan), f(0)))
    if (mean, sd) != (0.0, 1.0):
        z = z * f(sd) + f(mean)
    return z


def _order_keys(x: Array) -> NDArray:
    """uint32 keys whose order is the order of float32 `x`, NaN last (-0.0 equals 0.0)."""
    bits = np.ascontiguousarray(x).view(np.uint32)
    if np.fmin.reduce(x, axis=None) >= 0:  # non-negative: the bits already sort right
        return bits & np.uint32(0x7FFFFFFF)
    x = x + x.dtype.type(0)  # -0.0 -> 0.0
    bits = x.view(np.uint32)
    keys = np.where(bits >> 31 == 1, ~bits, bits | np.uint32(0x80000000))
    keys[np.isnan(x)] = np.uint32(0xFFFFFFFF)
    return keys


def _sorted_keys(x: Array) -> tuple[NDArray, NDArray]:
    """Each row of `x` sorted (NaN last): (order, sorted keys). Float32 rows sort as one
    64-bit key per value, its order key high and its position low (much faster than a
    stable `argsort`); the keys then order like the values."""
    n = x.shape[-1]
    if x.dtype == np.float32 and n < 2**31 and sys.byteorder == "little":
        keys = np.empty(x.shape, np.uint64)
        halves = keys.view(np.uint32)
        halves[..., 1::2] = _order_keys(x)
        halves[..., 0::2] = np.arange(n, dtype=np.uint32)
        keys.sort(axis=-1)
        return halves[..., 0::2], halves[..., 1::2]
    order = np.argsort(x, axis=-1, kind="stable")
    return order, np.take_along_axis(x, order, axis=-1)


def tie_ranks(x: Array, ties: str) -> Array:
    """Rank 1…n along the last axis, ties sharing the mean ("average") or the lowest
    ("min") of their positions; NaN stays NaN.

    One pass over all rows at once: after the sort, each run of equal keys is a group.
    "min": each sorted value's rank is its group's first position, a running maximum of
    the groups' first positions along the row. "average": the groups are numbered by a
    cumulative sum of their starts, each group's rank is computed once from its first and
    last position. The ranks go back to the values' places by one scatter.
    """
    n = x.shape[-1]
    out = np.empty(x.shape, x.dtype)
    if x.size == 0:
        return out
    rows = x.size // n
    order, keys = _sorted_keys(x)
    order, keys = order.reshape(rows, n), keys.reshape(rows, n)
    starts = np.empty((rows, n), bool)
    starts[:, 0] = True
    np.not_equal(keys[:, 1:], keys[:, :-1], out=starts[:, 1:])
    f = x.dtype.type
    place = order.astype(np.int64)
    place += (np.arange(rows, dtype=np.int64) * n)[:, None]
    if ties == "min":
        # each position's rank (position + 1) where a group starts, 0 elsewhere; then the
        # latest start's along the row (the ranks increase along a sorted row)
        ranked = np.where(starts, np.arange(n).astype(x.dtype) + f(1), f(0))
        np.maximum.accumulate(ranked, axis=-1, out=ranked)
        out.reshape(-1)[place.ravel()] = ranked.ravel()
    else:
        flat = starts.ravel()
        first = np.flatnonzero(flat)  # groups never span rows: each row opens one
        base = first - first % n
        last = np.empty_like(first)
        last[:-1] = first[1:] - 1
        last[-1] = flat.size - 1
        value = (first + last - 2 * base).astype(x.dtype) * f(0.5) + f(1)
        group = np.cumsum(flat, dtype=np.int64)
        group -= 1
        out.reshape(-1)[place.ravel()] = value[group]
    out[np.isnan(x)] = np.nan
    return out


def rank(x: Array, polarity=None, ties: str = "average") -> Array:
    """Rank 1…n among the valid values. Ties share the mean of their positions ("average",
    urbis) or the lowest ("min", COINr's default)."""
    if ties not in TIES:
        raise ValueError(f"ties: {ties!r} is not one of {', '.join(TIES)}.")
    return tie_ranks(_flip(x, polarity), ties)


def borda(x: Array, polarity=None, ties: str = "min") -> Array:
    """Borda score: the number of cities ranked below, rank - 1 (0…n-1)."""
    return rank(x, polarity, ties) - x.dtype.type(1)


def percentile(x: Array, polarity=None, ties: str = "average") -> Array:
    """Percentile rank (rank - 1) / (n - 1) in [0, 1]; a lone value gives 0.5."""
    return percentile_of_ranks(rank(x, polarity, ties), _valid_count(x).astype(x.dtype))


def percentile_of_ranks(r: Array, n: Array) -> Array:
    """(r - 1) / (n - 1) from the ranks `r` and each row's count `n` of valid values."""
    f = r.dtype.type
    if (n > 1).all():  # no lone value: the formula alone
        out = r - f(1)
        out /= n - f(1)
        return out
    lone = np.where(np.isnan(r), f(np.nan), f(0.5))
    return np.where(n > 1, (r - 1) / np.maximum(n - 1, 1), lone)


def distance(x: Array, polarity=None, reference: int | None = None) -> Array:
    """Ratio to a reference: x / x_ref, x_ref = the best city (max) or the city `reference`.

    For a "less is better" indicator the ratio is inverted (x_ref / x, x_ref = the min), so
    that 1 is always the reference and smaller is further from it.
    """
    sign = np.ones(x.shape[-2]) if polarity is None else np.asarray(polarity, dtype=float)
    if reference is None:
        best = np.where(
            sign[:, None] > 0,
            np.fmax.reduce(x, axis=-1, keepdims=True),
            np.fmin.reduce(x, axis=-1, keepdims=True),
        )
    else:
        best = x[..., reference : reference + 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = x / best if np.all(sign > 0) else np.where(sign[:, None] > 0, x / best, best / x)
        ratio = ratio.astype(x.dtype)  # a new array: corrected in place below
    # a ratio that is not finite where the value is known (0 / 0, x / 0) counts as 0
    undefined = ~np.isfinite(ratio)
    undefined &= x == x
    if undefined.any():
        np.copyto(ratio, 0, where=undefined)
    return ratio


def goalposts(
    x: Array, polarity=None, low=None, high=None, scale: float = 1.0, truncate: bool = True
) -> Array:
    """(x - low) / (high - low) clipped to [0, 1] (unless `truncate` is False), times `scale`;
    goalposts per indicator (default 0 and 1)."""
    k = x.shape[-2]
    lo = np.zeros(k) if low is None else np.asarray(low, dtype=float)
    hi = np.ones(k) if high is None else np.asarray(high, dtype=float)
    if np.any(hi <= lo):
        raise ValueError("Each upper goalpost must exceed its lower goalpost.")
    sign = np.ones(k) if polarity is None else np.asarray(polarity, dtype=float)
    lo_, hi_ = lo[:, None].astype(x.dtype), hi[:, None].astype(x.dtype)
    up = x - lo_
    up /= hi_ - lo_
    out = up if np.all(sign > 0) else np.where(sign[:, None] > 0, up, 1 - up)
    if truncate:
        np.clip(out, 0, 1, out=out)
    return out * out.dtype.type(scale) if scale != 1 else out


def scaled(x: Array, polarity=None, low=None, high=None, factor: float = 100.0) -> Array:
    """(x - low) / (high - low) x factor, not truncated (COINr's n_scaled, with the
    indicator's goalposts as its two parameters)."""
    return goalposts(x, polarity, low, high, scale=factor, truncate=False)


def target(x: Array, polarity=None, targets=None, cap: bool = True) -> Array:
    """Distance to a target: (x - min) / (target - min), or (max - x) / (max - target) where
    less is better; 1 at the target, capped there unless `cap` is False."""
    if targets is None or np.any(np.isnan(np.asarray(targets, dtype=float))):
        raise ValueError("Distance to a target needs a target for every indicator.")
    k = x.shape[-2]
    t = np.asarray(targets, dtype=float)[:, None].astype(x.dtype)
    sign = np.ones(k) if polarity is None else np.asarray(polarity, dtype=float)
    lo = np.fmin.reduce(x, axis=-1, keepdims=True)
    hi = np.fmax.reduce(x, axis=-1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(sign[:, None] > 0, (x - lo) / (t - lo), (hi - x) / (hi - t))
    return np.minimum(out, 1) if cap else out


def reference(x: Array, polarity=None, city: int = 0, cap: bool = False) -> Array:
    """Distance to a reference city: 1 - (x_ref - x) / (x_ref - min), the lowest city 0 and
    the reference 1; above 1 for cities beyond it unless `cap`."""
    x = _flip(x, polarity)
    ref = x[..., city : city + 1]
    lo = np.fmin.reduce(x, axis=-1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = 1 - (ref - x) / (ref - lo)
    return np.minimum(out, 1) if cap else out


def normalise(x: Array, method: str, *, polarity=None, low=None, high=None, targets=None, **params):
    """Dispatch on the method name (one of NORMALISATIONS); `params` are the method's own
    (minmax: lower, upper; zscore: mean, sd, ddof; rank, percentile, borda: ties;
    distance: reference; goalposts: scale, truncate; scaled: factor; target: cap;
    reference: city, cap)."""
    try:
        if method == "none":
            return _flip(x, polarity)
        if method == "minmax":
            return minmax(x, polarity, **params)
        if method == "zscore":
            return zscore(x, polarity, **params)
        if method == "rank":
            return rank(x, polarity, **params)
        if method == "borda":
            return borda(x, polarity, **params)
        if method == "percentile":
            return percentile(x, polarity, **params)
        if method == "distance":
            return distance(x, polarity, **params)
        if method == "goalposts":
            return goalposts(x, polarity, low, high, **params)
        if method == "scaled":
            return scaled(x, polarity, low, high, **params)
        if method == "target":
            return target(x, polarity, targets, **params)
        if method == "reference":
            return reference(x, polarity, **params)
    except TypeError as exc:
        raise ValueError(f"{method}: unknown parameter ({exc}).") from exc
    raise ValueError(f"Unknown normalisation {method!r}; choose one of {NORMALISATIONS}.")
