"""Outlier treatment: winsorise until skewness and kurtosis fall below thresholds, else log.

The rule of the JRC/OECD handbook tradition: an indicator needs treatment when
|skewness| > 2 *and* kurtosis > 3.5 (excess kurtosis). The most extreme value(s) on the
side of the skew are replaced by the next distinct value — every value tied at the
extreme at once — until the indicator passes or `max_points` values are capped; if it
still fails, winsorisation is undone and the indicator is transformed instead (a log or
a Box-Cox). The treatment chosen on the point data (caps, or the transform with the
point data's minimum and maximum) is then applied unchanged to every Monte Carlo run by
`apply_treatment`.

Moments: urbis uses population moments (`bias_corrected=False`); COINr uses the
bias-corrected sample skewness and kurtosis (e1071 type 2), available with
`bias_corrected=True`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import stats

MAX_SKEW = 2.0
MAX_KURTOSIS = 3.5
# log_shift: log(x - min + 1) (negative skew: mirrored); log: log(x); log_ct: log(x - min +
# 1 % of the range) (COINr's log_CT, mirrored for negative skew); boxcox: Box-Cox of
# x - min + 1 with `boxcox_lambda`
TRANSFORMS = ("log_shift", "log", "log_ct", "boxcox")


@dataclass(frozen=True)
class Treatment:
    action: str = "none"  # none | winsorised | log | log_plain | log_ct | boxcox
    points: int = 0
    low: float | None = None  # winsorised: lower cap; transform: the point data's min
    high: float | None = None  # winsorised: upper cap; transform: the point data's max
    skew_before: float | None = None
    kurtosis_before: float | None = None
    mirrored: bool = False  # transform of a negatively skewed indicator
    keep_range: bool = True  # transform mapped back onto [low, high]
    lam: float | None = None  # Box-Cox lambda

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def moments(x: NDArray, bias_corrected: bool = False) -> tuple[float, float]:
    """(skewness, excess kurtosis) of the valid values; (0, 0) with fewer than 3 (4 when
    bias-corrected) values or a constant indicator."""
    v = x[~np.isnan(x)]
    if v.size < (4 if bias_corrected else 3) or np.ptp(v) == 0:
        return 0.0, 0.0
    bias = not bias_corrected
    return float(stats.skew(v, bias=bias)), float(stats.kurtosis(v, bias=bias))


def needs_treatment(
    x: NDArray,
    max_skew: float = MAX_SKEW,
    max_kurt: float = MAX_KURTOSIS,
    bias_corrected: bool = False,
) -> bool:
    skew, kurt = moments(x, bias_corrected)
    return abs(skew) > max_skew and kurt > max_kurt


def winsorise(
    x: NDArray,
    *,
    max_points: int = 5,
    max_skew: float = MAX_SKEW,
    max_kurt: float = MAX_KURTOSIS,
    bias_corrected: bool = False,
    force: bool = False,
) -> tuple[NDArray, int]:
    """Cap the extreme values on the side of the skew until the indicator passes (or, with
    `force`, until `max_points` steps are made); returns the values and the points capped.

    Each step caps every value tied at the current extreme to the next distinct value, so
    a second outlier is reached once the first is capped (capping one value at a time
    stalled after the first step: the two largest values tie and the step changed nothing).
    """
    y = np.asarray(x, dtype=float).copy()
    valid = ~np.isnan(y)
    capped = np.zeros(y.shape, dtype=bool)
    steps = 0
    while steps < max_points and (force or needs_treatment(y, max_skew, max_kurt, bias_corrected)):
        values = y[valid]
        distinct = np.unique(values)
        if distinct.size < 2:
            break
        skew, _ = moments(y, bias_corrected)
        if skew >= 0:
            hit = valid & (y == distinct[-1])
            y[hit] = distinct[-2]
        else:
            hit = valid & (y == distinct[0])
            y[hit] = distinct[1]
        capped |= hit
        steps += 1
        if int(capped.sum()) >= max_points:
            break
    return y, int(capped.sum())


def _transform(x: NDArray, t: Treatment) -> NDArray:
    assert t.low is not None and t.high is not None
    lo, hi = t.low, t.high
    if t.action == "log_ct":
        a = 0.01 * (hi - lo)
        if t.mirrored:
            return -np.log(np.maximum(hi - x, 0) + a)
        return np.log(np.maximum(x - lo, 0) + a)
    if t.action == "boxcox":
        lam = t.lam or 0.0
        shifted = np.maximum(x - lo, 0) + 1 if not t.mirrored else np.maximum(hi - x, 0) + 1
        out = np.log(shifted) if lam == 0 else (shifted**lam - 1) / lam
        return -out if t.mirrored else out
    if t.mirrored:
        return -np.log1p(np.maximum(hi - x, 0))
    return np.log1p(np.maximum(x - lo, 0))


def treat(
    x: NDArray,
    *,
    max_points: int = 5,
    max_skew: float = MAX_SKEW,
    max_kurt: float = MAX_KURTOSIS,
    bias_corrected: bool = False,
    transform: str = "log_shift",
    boxcox_lambda: float = 0.0,
    keep_range: bool = True,
) -> tuple[NDArray, Treatment]:
    """Treat one indicator (1-D over cities); returns the treated values and what was done.

    `keep_range` maps a transformed indicator back onto its observed [min, max] (a
    monotone rescale): its units stay those of the data, so goalposts and distance
    normalisation still apply. (A mirrored log of a negatively skewed share gave values
    ≤ 0, which goalposts on [0, 1] turned into 0 for every city.)
    """
    if transform not in TRANSFORMS:
        raise ValueError(f"transform: {transform!r} is not one of {', '.join(TRANSFORMS)}.")
    x = np.asarray(x, dtype=float)
    skew, kurt = moments(x, bias_corrected)
    if not (abs(skew) > max_skew and kurt > max_kurt):
        return x, Treatment(skew_before=skew, kurtosis_before=kurt)
    y, points = winsorise(
        x, max_points=max_points, max_skew=max_skew, max_kurt=max_kurt,
        bias_corrected=bias_corrected,
    )  # fmt: skip
    if not needs_treatment(y, max_skew, max_kurt, bias_corrected):
        return y, Treatment(
            action="winsorised",
            points=points,
            low=float(np.nanmin(y)) if skew < 0 else None,
            high=float(np.nanmax(y)) if skew > 0 else None,
            skew_before=skew,
            kurtosis_before=kurt,
        )
    # "log" (the shifted log) keeps its historical action name; COINr's plain log(x) has
    # neither shift nor rescale
    action = {"log_shift": "log", "log": "log_plain"}.get(transform, transform)
    treatment = Treatment(
        action=action,
        low=float(np.nanmin(x)),
        high=float(np.nanmax(x)),
        skew_before=skew,
        kurtosis_before=kurt,
        mirrored=skew < 0 and transform != "log",
        keep_range=keep_range and transform != "log",
        lam=boxcox_lambda if transform == "boxcox" else None,
    )
    return apply_treatment(x, treatment), treatment


def apply_treatment(x: NDArray, t: Treatment) -> NDArray:
    """Apply a treatment found on the point data to values of the same indicator (any shape).

    Winsorised: clip at the caps. Transformed: the transform with the point data's
    min/max (values beyond them are clipped first), mapped back onto [min, max] when
    `keep_range`.
    """
    if t.action == "none":
        return x
    if t.action == "winsorised":
        return np.clip(x, t.low, t.high)
    if t.action == "log_plain":
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log(x)
    assert t.low is not None and t.high is not None
    clipped = np.clip(x, t.low, t.high)
    out = _transform(clipped, t)
    if not t.keep_range or t.high <= t.low:
        return out
    ends = _transform(np.array([t.low, t.high]), t)
    span = ends[1] - ends[0]
    f = np.asarray(x).dtype.type if np.asarray(x).dtype.kind == "f" else float
    return (t.low + (t.high - t.low) * (out - ends[0]) / span).astype(f, copy=False)
