"""Ranks and medians of values known to lie on a small grid: counting instead of sorting.

The Monte Carlo redraws survey shares as whole numbers of respondents, so every sampled
value is one of the m + 1 grid values j/m. Ranking such a row needs no sort: the number of
values below each grid value is a running total of a histogram, so the rank normalisations
and the median imputation take linear time instead of a sort of every row of every run
(which dominated the batched analysis). The results equal those of `normalise.rank` and
`impute._column_median` bit for bit (the tests compare both paths); the pipeline takes
this path only where it applies (see `pipeline.evaluate`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from urbis.index.engine.normalise import TIES

# the size of the block of flat indices built at a time (see `Grid._blocks`)
BLOCK_BYTES = 1 << 20


@dataclass(frozen=True)
class Grid:
    """`x` on a grid: x == values[codes], NaN where the code is `values.size` (missing).

    `values` must increase strictly; `codes` has the shape of `x`.
    """

    codes: NDArray
    values: NDArray

    def _blocks(self):
        """(start, stop, flat index) per block of rows: each value's place in a flat
        (rows of the block, grid size + 1) table. The index (8 bytes a value) is built one
        block at a time, about 1 MiB, so that it is still in the cache when used."""
        n = self.codes.shape[-1]
        rows = self.codes.size // n
        codes = self.codes.reshape(rows, n)
        step = max(1, BLOCK_BYTES // (8 * max(n, 1)))
        offsets = np.arange(step, dtype=np.intp) * (self.values.size + 1)
        for start in range(0, rows, step):
            stop = min(start + step, rows)
            flat = codes[start:stop].astype(np.intp)
            flat += offsets[: stop - start, None]
            yield start, stop, flat

    @cached_property
    def counts(self) -> NDArray:
        """(rows, grid size + 1): each row's count of every grid value, missing last."""
        size = self.values.size + 1
        n = self.codes.shape[-1]
        # 32-bit counts (a row has fewer than 2**31 values): half the traffic of the
        # tables built from them
        out = np.empty((self.codes.size // n, size), np.int32 if n < 2**31 else np.intp)
        for start, stop, flat in self._blocks():
            counts = np.bincount(flat.ravel(), minlength=(stop - start) * size)
            out[start:stop] = counts.reshape(stop - start, size)
        return out

    def lookup(self, table: NDArray) -> NDArray:
        """`table[row, code]` for every value: `table` is (rows, grid size + 1)."""
        n = self.codes.shape[-1]
        out = np.empty(self.codes.shape, table.dtype)
        flat_out = out.reshape(-1, n)
        for start, stop, flat in self._blocks():
            np.take(table[start:stop].reshape(-1), flat, out=flat_out[start:stop], mode="clip")
        return out


def median(grid: Grid) -> NDArray:
    """Each row's median of its valid values, as `impute._column_median` computes it:
    the mean of the ((n - 1) // 2)-th and (n // 2)-th smallest; NaN for an empty row."""
    values = grid.values
    valid = grid.counts[:, :-1]
    n = valid.sum(axis=-1)
    running = np.cumsum(valid, axis=-1)
    lo_k = np.maximum((n - 1) // 2, 0)
    hi_k = n // 2
    last = values.size - 1
    lo = values[np.minimum((running <= lo_k[:, None]).sum(axis=-1), last)]
    hi = values[np.minimum((running <= hi_k[:, None]).sum(axis=-1), last)]
    f = values.dtype.type
    out = np.where(n > 0, (lo + hi) / 2, f(np.nan))
    return out.reshape((*grid.codes.shape[:-1], 1))


def ranks(
    grid: Grid,
    *,
    fill: NDArray | None = None,
    polarity: NDArray | None = None,
    ties: str = "average",
) -> NDArray:
    """`normalise.rank(x, polarity, ties)` of `x` = the grid's values with its missing
    values replaced by `fill` (one value per row, shaped like the rows plus a last axis
    of 1; None or NaN leaves them missing)."""
    return grid.lookup(rank_table(grid, fill=fill, polarity=polarity, ties=ties))


def rank_table(
    grid: Grid,
    *,
    fill: NDArray | None = None,
    polarity: NDArray | None = None,
    ties: str = "average",
) -> NDArray:
    """(rows, grid size + 1): the rank of each grid value in each row, and of the fill
    value last (NaN where a row's missing values stay missing) — see `ranks`. Any
    function of the ranks value by value can be applied to this table before the
    lookup, on a few hundred values a row instead of every city.

    Per row, the rank of every grid value — and of the fill value — follows from the
    counts: below it, the values of the grid values below plus the fills if the fill is
    below; tied with it, its own count plus the fills if the fill equals it. A row with
    negative polarity ranks the negated values, so its grid is read in reverse.
    """
    if ties not in TIES:
        raise ValueError(f"ties: {ties!r} is not one of {', '.join(TIES)}.")
    values = grid.values
    counts = grid.counts
    dtype = values.dtype
    f = dtype.type
    size = values.size
    rows = counts.shape[0]
    lead = grid.codes.shape[:-1]
    k = lead[-1] if lead else 1
    if polarity is None:
        negative = np.zeros(rows, bool)
    else:
        sign = np.asarray(polarity, dtype=float)
        negative = np.broadcast_to(sign < 0, (rows // k, k)).reshape(rows)
    flip = negative.any()
    h = counts[:, :-1]
    if flip:
        h = h.copy()
        h[negative] = h[negative, ::-1]
    less = np.cumsum(h, axis=-1, dtype=h.dtype)
    less -= h  # the values below each grid value
    equal = h  # the values tied with it
    table = np.empty((rows, size + 1), dtype)
    if fill is None:
        filled = np.zeros(rows, dtype=counts.dtype)
        fill_less = fill_equal = filled
    else:
        # the grid in ascending order of the (possibly negated) values, per row
        oriented = values[None, :]
        if flip:
            oriented = np.where(negative[:, None], -values[::-1], values).astype(dtype, copy=False)
        target = fill.reshape(rows).astype(dtype, copy=False)
        target = np.where(negative, -target, target)
        filled = np.where(np.isnan(target), 0, counts[:, -1])
        below_fill = oriented < target[:, None]  # grid values below the fill value
        at_fill = oriented == target[:, None]
        above_fill = oriented > target[:, None]
        less += filled[:, None] * above_fill
        equal = h + filled[:, None] * at_fill
        fill_less = (h * below_fill).sum(axis=-1)
        fill_equal = filled + (h * at_fill).sum(axis=-1)
    grid_part = table[:, :-1]
    if ties == "average":
        less *= 2
        less += equal
        less -= 1
        np.copyto(grid_part, less, casting="unsafe")  # as .astype(dtype)
        grid_part *= f(0.5)
        grid_part += f(1)
        table[:, -1] = (2 * fill_less + fill_equal - 1).astype(dtype) * f(0.5) + f(1)
    else:
        np.copyto(grid_part, less, casting="unsafe")
        grid_part += f(1)
        table[:, -1] = fill_less.astype(dtype) + f(1)
    table[filled == 0, -1] = np.nan
    if flip:
        table[negative, :-1] = table[negative, -2::-1]
    return table
