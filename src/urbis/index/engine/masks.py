"""Writing into the masked places of a batch: `fill_where`, `np.copyto(..., where=)` for
the masks the pipeline meets.

In a batch of runs (runs, rows, cities) the missing values are almost always the same in
every run (the point data's gaps: the survey sampling keeps them). A masked copy visits
every value to test its mask; finding the few positions of the first run's mask once and
writing only there is several times faster, and writes the same values.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray


def common_mask(mask: NDArray) -> NDArray | None:
    """The mask of the first run (the last two axes) if every run's mask is the same,
    else None (and None for a mask without runs in front)."""
    if mask.ndim < 3 or mask.size == 0:
        return None
    first = mask.reshape(-1, *mask.shape[-2:])[0]
    return first if (mask == first).all() else None


def fill_where(
    out: NDArray, value: float | NDArray, mask: NDArray, common: NDArray | None = None
) -> None:
    """`np.copyto(out, value, where=mask)`: `value` a number or one value per row (shaped
    like `out` with a last axis of 1, or broadcasting to it). `common`: `mask`'s
    `common_mask`, if the caller has it (it is then trusted)."""
    if common is None and mask.shape == out.shape:
        common = common_mask(mask)
    if common is None or not out.flags.c_contiguous:
        np.copyto(out, np.broadcast_to(value, out.shape), where=mask)
        return
    k, n = out.shape[-2:]
    runs = out.size // (k * n) if out.size else 0
    places = np.flatnonzero(common)
    flat = out.reshape(runs, k * n)
    if np.ndim(value) == 0:
        flat[:, places] = value
        return
    per_row = np.broadcast_to(value, (*out.shape[:-1], 1)).reshape(runs, k)
    flat[:, places] = per_row[:, places // n]
