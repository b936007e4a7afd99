"""Outlier treatment: winsorise until skewness and kurtosis fall below thresholds, else log.

The rule of the JRC/OECD handbook tradition: an indicator needs treatment when
|skewness| > 2 *and* kurtosis > 3.5 (excess kurtosis, population moments). Its most
extreme value on the side of the skew is replaced by the next one, one value at a time, up
to `max_points` values; if the indicator still fails, winsorisation is undone and the
indicator is log-transformed instead. The treatment chosen on the point data (caps or
log shift) is then applied unchanged to every Monte Carlo run by `apply_treatment`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import stats

MAX_SKEW = 2.0
MAX_KURTOSIS = 3.5


@dataclass(frozen=True)
class Treatment:
    action: str = "none"  # none | winsorised | log
    points: int = 0
    low: float | None = None
    high: float | None = None
    skew_before: float | None = None
    kurtosis_before: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def moments(x: NDArray) -> tuple[float, float]:
    """(skewness, excess kurtosis) of the valid values; (0, 0) with fewer than 3 or constant."""
    v = x[~np.isnan(x)]
    if v.size < 3 or np.ptp(v) == 0:
        return 0.0, 0.0
    return float(stats.skew(v)), float(stats.kurtosis(v))


def needs_treatment(x: NDArray, max_skew: float = MAX_SKEW, max_kurt: float = MAX_KURTOSIS):
    skew, kurt = moments(x)
    return abs(skew) > max_skew and kurt > max_kurt


def treat(
    x: NDArray,
    *,
    max_points: int = 5,
    max_skew: float = MAX_SKEW,
    max_kurt: float = MAX_KURTOSIS,
) -> tuple[NDArray, Treatment]:
    """Treat one indicator (1-D over cities); returns the treated values and what was done."""
    x = np.asarray(x, dtype=float)
    skew, kurt = moments(x)
    if not (abs(skew) > max_skew and kurt > max_kurt):
        return x, Treatment(skew_before=skew, kurtosis_before=kurt)
    y = x.copy()
    valid = np.flatnonzero(~np.isnan(y))
    points = 0
    while points < max_points and needs_treatment(y, max_skew, max_kurt):
        s, _ = moments(y)
        order = valid[np.argsort(y[valid], kind="stable")]
        if s > 0:
            y[order[-1]] = y[order[-2]]
        else:
            y[order[0]] = y[order[1]]
        points += 1
    if not needs_treatment(y, max_skew, max_kurt):
        return y, Treatment(
            action="winsorised",
            points=points,
            low=float(np.nanmin(y)) if skew < 0 else None,
            high=float(np.nanmax(y)) if skew > 0 else None,
            skew_before=skew,
            kurtosis_before=kurt,
        )
    if skew > 0:
        low = float(np.nanmin(x))
        treatment = Treatment(action="log", low=low, skew_before=skew, kurtosis_before=kurt)
    else:
        high = float(np.nanmax(x))
        treatment = Treatment(action="log", high=high, skew_before=skew, kurtosis_before=kurt)
    return apply_treatment(x, treatment), treatment


def apply_treatment(x: NDArray, t: Treatment) -> NDArray:
    """Apply a treatment found on the point data to values of the same indicator (any shape).

    Winsorised: clip at the caps. Log, positive skew: log(x - min + 1); negative skew:
    -log(max - x + 1), with the point data's min/max (values beyond it are clipped first).
    """
    if t.action == "none":
        return x
    if t.action == "winsorised":
        return np.clip(x, t.low, t.high)
    if t.low is not None:
        return np.log1p(np.maximum(x - t.low, 0))
    assert t.high is not None
    return -np.log1p(np.maximum(t.high - x, 0))
