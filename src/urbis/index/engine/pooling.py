"""Pooling survey waves: the last three waves weighted 3:2:1, most recent first.

A missing wave (no value for a city and item) is left out and the weights of the waves
present are renormalised: with the middle wave missing, 3:1 → 0.75 and 0.25. Every
pooled value can state the weights that made it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

WAVE_WEIGHTS = (3.0, 2.0, 1.0)


@dataclass(frozen=True)
class Pooled:
    values: NDArray  # pooled shares; NaN where no wave has a value
    weights: NDArray  # (waves, ...) effective weights used for each value (sum to 1 or 0)
    waves_used: NDArray  # number of waves with a value


def pool(waves: NDArray, weights: Sequence[float] = WAVE_WEIGHTS) -> Pooled:
    """Pool `waves` (waves, ...) ordered most recent first; NaN marks a missing wave."""
    waves = np.asarray(waves, dtype=float)
    w = np.asarray(weights, dtype=float)
    if waves.shape[0] > w.size:
        waves = waves[: w.size]
    w = w[: waves.shape[0]]
    present = ~np.isnan(waves)
    raw = np.where(present, w.reshape((-1,) + (1,) * (waves.ndim - 1)), 0.0)
    total = raw.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        effective = np.where(total > 0, raw / np.where(total > 0, total, 1), 0.0)
        values = np.where(total > 0, (effective * np.where(present, waves, 0)).sum(axis=0), np.nan)
    return Pooled(values=values, weights=effective, waves_used=present.sum(axis=0))


def describe_weights(effective: Sequence[float], years: Sequence[int]) -> str:
    """A sentence for a pooled value: "2023: 60 %, 2022: 40 % (2021 missing, renormalised)"."""
    parts, missing = [], []
    for year, w in zip(years, effective, strict=False):
        if w > 0:
            parts.append(f"{year}: {w:.0%}")
        else:
            missing.append(str(year))
    text = ", ".join(parts) if parts else "no wave"
    if missing and parts:
        text += f" ({', '.join(missing)} missing, weights renormalised)"
    return text
