"""Survey sampling error: each run's redraw of the shares, from 16 random bits per value."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy.special import ndtri

# Normal quantiles at 65,536 equally likely levels: a normal draw from 16 random bits.
_NORMAL_TABLE = ndtri((np.arange(65536) + 0.5) / 65536)
_TABLES = {
    np.dtype(np.float64): _NORMAL_TABLE,
    np.dtype(np.float32): _NORMAL_TABLE.astype(np.float32),
}


def clip_places(point_m: NDArray, sigma: NDArray, m: int) -> NDArray:
    """The flat positions of the shares whose redraw can fall outside 0…m respondents, so
    that `sample_shares` clips only there. A redraw is the rounding of a table quantile
    times `sigma` plus `point_m`, each step monotone in the quantile, so the table's lowest
    and highest quantiles give each position's extreme redraws (computed by the same float
    operations). A missing share stays missing: no need to clip it."""
    table = _TABLES[point_m.dtype]
    low = np.rint(table[0] * sigma + point_m)
    high = np.rint(table[-1] * sigma + point_m)
    inside = (low >= 0) & (high <= m)
    return np.flatnonzero(~inside & (point_m == point_m))


def over_runs(positions: NDArray, runs: int, size: int) -> NDArray:
    """The flat positions `positions` of one run of `size` values, in each of `runs`
    consecutive runs: for `sample_shares`, which then indexes one flat array (a third of
    the time of a slice of rows indexed by the positions)."""
    per_run = np.arange(runs, dtype=np.intp)[:, None] * size
    return (per_run + np.asarray(positions, dtype=np.intp)).reshape(-1)


def sample_shares(
    point: NDArray,
    point_m: NDArray,
    sigma: NDArray,
    m: int,
    rng: np.random.Generator,
    out: NDArray,
    codes: NDArray | None = None,
    missing: NDArray | None = None,
    clip_at: NDArray | None = None,
    *,
    flat: bool = False,
    scratch: NDArray | None = None,
) -> None:
    """Redraws of the shares `point` (indicators, cities) with survey sampling error, one
    per run of `out` (runs, indicators, cities), written there; with `codes` (shaped like
    `out`), also each value's place on the grid of the m + 1 possible shares (the drawn
    shares are whole numbers of respondents divided by m; m + 1 marks a missing value).
    `missing`: the flat positions of the point data's missing values, if known; `clip_at`:
    the positions `clip_places` finds, if known (elsewhere the clip would change nothing).
    With `flat`, both are already positions in `out` (`over_runs`), for all its runs.
    `scratch`: an intp array of at least `out.size` values for the random levels (numpy
    would convert the 16-bit levels into a new one on every call)."""
    table = _TABLES[point.dtype]
    x = out
    size = x.size
    raw = rng.bit_generator.random_raw((size + 3) // 4).view(np.uint16)[:size]
    if scratch is not None:
        levels = scratch[:size]
        np.copyto(levels, raw)
        raw = levels
    np.take(table, raw, out=x.reshape(-1), mode="clip")  # every index is in range
    x *= sigma  # sigma = m * standard error, so x counts respondents
    x += point_m
    np.rint(x, out=x)
    runs = x.shape[0]
    values = x.reshape(-1)  # `out` is contiguous: a view
    if clip_at is None:
        np.clip(x, 0, m, out=x)
    elif clip_at.size:
        at = clip_at if flat else over_runs(clip_at, runs, size // max(runs, 1))
        bound = values[at]
        np.clip(bound, 0, m, out=bound)
        values[at] = bound
    if codes is not None:
        with np.errstate(invalid="ignore"):  # missing values: cast, then overwritten
            np.copyto(codes, x, casting="unsafe")
        if missing is None:
            missing = np.flatnonzero(np.isnan(point))
            flat_missing = False
        else:
            flat_missing = flat
        if not flat_missing:
            missing = over_runs(missing, runs, size // max(runs, 1))
        codes.reshape(-1)[missing] = m + 1  # missing in the point data
    x *= point.dtype.type(1 / m)
