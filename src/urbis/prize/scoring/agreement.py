"""Agreement between evaluators: Krippendorff's alpha at a configured level of
measurement (Rules §8).

Rubric scores are ordered categories (1-5), so the default level is ordinal; nominal,
interval and ratio are available for editions that see their scale otherwise. Uses the
`krippendorff` package. Ratings come as flat arrays (value, evaluator,
application) with the missing ratings simply absent - the normal case, as each evaluator
sees only the applications assigned to them. The package's value-count input (units x
values) is built with one `bincount` instead of a dense (evaluators x applications)
matrix, which keeps 50,000 ratings per criterion fast.
"""

from __future__ import annotations

import math

import krippendorff
import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

LEVELS = ("nominal", "ordinal", "interval", "ratio")
DEFAULT_LEVEL = "ordinal"


def value_counts(values: FloatArray, app: IntArray) -> tuple[npt.NDArray[np.int64], FloatArray]:
    """(units x values) counts over the pairable units (two ratings or more), and the
    value domain."""
    keep = ~np.isnan(values)
    values, app = values[keep], app[keep]
    per_unit = np.bincount(app) if app.size else np.zeros(0, dtype=np.int64)
    pairable = per_unit[app] >= 2 if app.size else np.zeros(0, dtype=bool)
    values, app = values[pairable], app[pairable]
    domain, v_index = np.unique(values, return_inverse=True)
    units, u_index = np.unique(app, return_inverse=True)
    flat = np.bincount(u_index * domain.size + v_index, minlength=units.size * domain.size)
    return flat.reshape(units.size, domain.size).astype(np.int64), domain


def alpha(
    values: FloatArray,
    evaluator: IntArray,
    app: IntArray,
    n_evaluators: int,
    n_apps: int,
    *,
    level: str = DEFAULT_LEVEL,
) -> float | None:
    """Krippendorff's alpha of one criterion in one round at `level` (one of LEVELS);
    None when it is not defined (no unit with two ratings, or a single value throughout).

    `evaluator` and the sizes are accepted for symmetry with the reliability-matrix view;
    alpha depends only on which values each application received.
    """
    del evaluator, n_evaluators, n_apps
    if level not in LEVELS:
        raise ValueError(f"Unknown level of measurement '{level}'; choose one of {LEVELS}.")
    counts, domain = value_counts(np.asarray(values, dtype=float), np.asarray(app))
    if counts.shape[0] == 0 or domain.size < 2:
        return None
    result = float(
        krippendorff.alpha(value_counts=counts, value_domain=domain, level_of_measurement=level)
    )
    return None if math.isnan(result) else result


def reliability_matrix(
    values: FloatArray, evaluator: IntArray, app: IntArray, n_evaluators: int, n_apps: int
) -> FloatArray:
    """The (evaluators x applications) matrix with NaN where no rating was given."""
    matrix = np.full((n_evaluators, n_apps), np.nan)
    matrix[evaluator, app] = values
    return matrix
