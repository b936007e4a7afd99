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

Array = NDArray[np.floating]

NORMALISATIONS = ("none", "minmax", "zscore", "rank", "percentile", "distance", "goalposts")


def _flip(x: Array, polarity: Sequence[float] | NDArray | None) -> Array:
    if polarity is None:
        return x
    sign = np.asarray(polarity, dtype=x.dtype)
    if np.all(sign == 1):
        return x
    return x * sign[:, None]


def _valid_count(x: Array) -> NDArray:
    return np.count_nonzero(~np.isnan(x), axis=-1)[..., None]


def minmax(x: Array, polarity=None) -> Array:
    """(x - min) / (max - min) per indicator; a constant indicator gives 0.5."""
    x = _flip(x, polarity)
    lo = np.fmin.reduce(x, axis=-1, keepdims=True)
    hi = np.fmax.reduce(x, axis=-1, keepdims=True)
    span = hi - lo
    safe = np.where(span > 0, span, 1)
    f = x.dtype.type
    return np.where(span > 0, (x - lo) / safe, np.where(np.isnan(x), f(np.nan), f(0.5)))


def zscore(x: Array, polarity=None) -> Array:
    """(x - mean) / standard deviation (population, ddof = 0); a constant indicator gives 0."""
    x = _flip(x, polarity)
    n = _valid_count(x).astype(x.dtype)
    filled = np.where(np.isnan(x), 0, x)
    mean = filled.sum(axis=-1, keepdims=True) / np.maximum(n, 1)
    dev = np.where(np.isnan(x), 0, x - mean)
    std = np.sqrt((dev * dev).sum(axis=-1, keepdims=True) / np.maximum(n, 1))
    safe = np.where(std > 0, std, 1)
    f = x.dtype.type
    return np.where(std > 0, (x - mean) / safe, np.where(np.isnan(x), f(np.nan), f(0)))


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


def _sorted_ties(x: Array) -> tuple[NDArray, NDArray, NDArray]:
    """Sort each row of `x` (NaN last); return (order, first, last) where `first`/`last`
    are the 0-based first and last positions of each sorted value's tie group."""
    n = x.shape[-1]
    sorted_keys: NDArray
    order: NDArray
    if x.dtype == np.float32 and n < 2**31 and sys.byteorder == "little":
        # one 64-bit key per value: the value's order key high, its position low
        keys = np.empty(x.shape, np.uint64)
        halves = keys.view(np.uint32)
        halves[..., 1::2] = _order_keys(x)
        halves[..., 0::2] = np.arange(n, dtype=np.uint32)
        keys.sort(axis=-1)
        order = halves[..., 0::2]
        sorted_keys = halves[..., 1::2]
    else:
        order = np.argsort(x, axis=-1, kind="stable")
        sorted_keys = np.take_along_axis(x, order, axis=-1)
    starts = np.empty(x.shape, bool)
    starts[..., 0] = True
    if n > 1:
        np.not_equal(sorted_keys[..., 1:], sorted_keys[..., :-1], out=starts[..., 1:])
        if sorted_keys.dtype.kind == "f":  # NaN != NaN: keep NaNs in one (ignored) group
            starts[..., 1:] &= ~(np.isnan(sorted_keys[..., 1:]) & np.isnan(sorted_keys[..., :-1]))
    ends = np.empty(x.shape, bool)
    ends[..., :-1] = starts[..., 1:]
    ends[..., -1] = True
    pos = np.arange(n, dtype=np.int32)
    first = np.where(starts, pos, np.int32(0))
    np.maximum.accumulate(first, axis=-1, out=first)
    last = np.where(ends, pos, np.int32(n - 1))
    flipped = np.flip(last, axis=-1)
    np.minimum.accumulate(flipped, axis=-1, out=flipped)
    return order, first, last


def _unsort(order: NDArray, values: NDArray) -> NDArray:
    out = np.empty(values.shape, values.dtype)
    np.put_along_axis(out, order, values, axis=-1)
    return out


def tie_positions(x: Array) -> tuple[NDArray, NDArray, NDArray]:
    """For each value, the first and last 0-based position of its tie group in ascending order.

    Returns ``(low, high, valid)`` with the shape of `x`; NaN sorts last (its positions are
    meaningless and `valid` is False there). Float32 input is sorted as packed 64-bit keys
    (value bits and position), much faster than `argsort` for large batches.
    """
    order, first, last = _sorted_ties(x)
    return _unsort(order, first), _unsort(order, last), ~np.isnan(x)


def highest_tie_position(x: Array) -> NDArray:
    """The last 0-based ascending position of each value's tie group (NaN sorts last)."""
    order, _, last = _sorted_ties(x)
    return _unsort(order, last)


def rank(x: Array, polarity=None) -> Array:
    """Average rank 1…n among the valid values (ties share the mean of their positions)."""
    x = _flip(x, polarity)
    order, first, last = _sorted_ties(x)
    f = x.dtype.type
    out = _unsort(order, (first + last).astype(x.dtype) * f(0.5) + f(1))
    return np.where(np.isnan(x), f(np.nan), out)


def percentile(x: Array, polarity=None) -> Array:
    """Percentile rank (rank - 1) / (n - 1) in [0, 1]; a lone value gives 0.5."""
    r = rank(x, polarity)
    n = _valid_count(x).astype(x.dtype)
    f = x.dtype.type
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
        ratio = ratio.astype(x.dtype, copy=False)
    f = x.dtype.type
    return np.where(np.isfinite(ratio) | np.isnan(x), ratio, f(0))


def goalposts(x: Array, polarity=None, low=None, high=None) -> Array:
    """(x - low) / (high - low) clipped to [0, 1]; goalposts per indicator (default 0 and 1)."""
    k = x.shape[-2]
    lo = np.zeros(k) if low is None else np.asarray(low, dtype=float)
    hi = np.ones(k) if high is None else np.asarray(high, dtype=float)
    if np.any(hi <= lo):
        raise ValueError("Each upper goalpost must exceed its lower goalpost.")
    sign = np.ones(k) if polarity is None else np.asarray(polarity, dtype=float)
    lo_, hi_ = lo[:, None].astype(x.dtype), hi[:, None].astype(x.dtype)
    up = (x - lo_) / (hi_ - lo_)
    out = np.where(sign[:, None] > 0, up, 1 - up)
    return np.clip(out, 0, 1)


def normalise(x: Array, method: str, *, polarity=None, low=None, high=None, reference=None):
    """Dispatch on the method name (one of NORMALISATIONS)."""
    if method == "none":
        return _flip(x, polarity)
    if method == "minmax":
        return minmax(x, polarity)
    if method == "zscore":
        return zscore(x, polarity)
    if method == "rank":
        return rank(x, polarity)
    if method == "percentile":
        return percentile(x, polarity)
    if method == "distance":
        return distance(x, polarity, reference)
    if method == "goalposts":
        return goalposts(x, polarity, low, high)
    raise ValueError(f"Unknown normalisation {method!r}; choose one of {NORMALISATIONS}.")
