"""The coherence audit of an index before publication (the JRC/OECD handbook's analysis
step, before any uncertainty analysis).

On the point data of a plan: indicator statistics (availability, moments, treatment),
correlations within each group (indicators of an area, areas of a pillar, pillars of the
index) flagged when negative or collinear, correlations of every node with its parent,
grandparent and the index, Cronbach's alpha of each group, a principal component
analysis of each group, and each city's data availability. Pure NumPy, vectorised:
correlations are pairwise-complete, alpha and PCA use the group's complete cases.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from urbis.index.engine.outliers import moments
from urbis.index.engine.pipeline import Plan, point_levels

NEGATIVE = 0.0  # r below: the pair pulls the parent in opposite directions
COLLINEAR = 0.9  # r above: the pair double-counts one aspect


@dataclass(frozen=True)
class IndicatorStats:
    code: str
    parent: str
    available: int
    availability: float
    mean: float | None
    sd: float | None
    min: float | None
    max: float | None
    skew: float | None
    kurtosis: float | None
    treatment: str
    points: int


@dataclass(frozen=True)
class Pair:
    level: str  # the level the two children belong to: indicators, areas, pillars
    group: str  # their parent
    a: str
    b: str
    r: float | None
    flag: str  # "", "negative" or "collinear"


@dataclass(frozen=True)
class Cross:
    level: str
    code: str
    against: str  # the level of the aggregate: areas, pillars, index
    parent: str
    r: float | None
    flag: str  # "" or "negative"


@dataclass(frozen=True)
class Alpha:
    level: str
    group: str
    children: int
    cities: int  # complete cases used
    alpha: float | None


@dataclass(frozen=True)
class Components:
    level: str
    group: str
    children: tuple[str, ...]
    variance_explained: tuple[float, ...]  # share per component, largest first
    loadings: tuple[float, ...]  # of each child on the first component


@dataclass
class Audit:
    indicators: list[IndicatorStats]
    pairs: list[Pair]
    cross: list[Cross]
    alphas: list[Alpha]
    components: list[Components]
    city_availability: list[float]
    thresholds: dict[str, float] = field(default_factory=dict)

    def flagged(self) -> list[Pair | Cross]:
        return [p for p in self.pairs if p.flag] + [c for c in self.cross if c.flag]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _num(value: Any) -> float | None:
    v = float(value)
    return v if np.isfinite(v) else None


def pairwise_correlation(x: NDArray, y: NDArray | None = None) -> NDArray:
    """Pearson correlations of the rows of `x` with the rows of `y` (default `x`), each pair
    on the cities where both are present; NaN with fewer than 3 such cities or no spread."""
    y = x if y is None else y
    mx, my = ~np.isnan(x), ~np.isnan(y)
    x0, y0 = np.where(mx, x, 0.0), np.where(my, y, 0.0)
    fx, fy = mx.astype(float), my.astype(float)
    n = fx @ fy.T
    sx, sy = x0 @ fy.T, fx @ y0.T
    sxx, syy = (x0 * x0) @ fy.T, fx @ (y0 * y0).T
    sxy = x0 @ y0.T
    with np.errstate(invalid="ignore", divide="ignore"):
        cov = sxy - sx * sy / n
        vx = sxx - sx * sx / n
        vy = syy - sy * sy / n
        r = cov / np.sqrt(vx * vy)
    tiny = 1e-12 * np.maximum(1.0, np.maximum(np.abs(sxx), np.abs(syy)))
    r = np.where((n >= 3) & (vx > tiny) & (vy > tiny), r, np.nan)
    return np.clip(r, -1.0, 1.0)


def cronbach_alpha(x: NDArray) -> tuple[float | None, int]:
    """Cronbach's alpha of the rows of `x` (children, cities) on the complete cases:
    k/(k-1) (1 - sum of the children's variances / variance of their sum)."""
    complete = x[:, ~np.isnan(x).any(axis=0)]
    k, n = complete.shape
    if k < 2 or n < 2:
        return None, n
    total = complete.sum(axis=0).var(ddof=1)
    if total == 0:
        return None, n
    return float(k / (k - 1) * (1 - complete.var(axis=1, ddof=1).sum() / total)), n


def principal_components(x: NDArray) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """(variance explained per component, loadings on the first) of the correlation matrix
    of the rows of `x` on the complete cases; the first loadings sum to a positive value."""
    complete = x[:, ~np.isnan(x).any(axis=0)]
    k = complete.shape[0]
    if complete.shape[1] < 3 or np.any(complete.std(axis=1) == 0):
        return (), ()
    eigenvalues, vectors = np.linalg.eigh(np.corrcoef(complete))
    order = np.argsort(eigenvalues)[::-1]
    eigenvalues = np.clip(eigenvalues[order], 0, None)
    first = vectors[:, order[0]] * np.sqrt(eigenvalues[0])
    if first.sum() < 0:
        first = -first
    return tuple(float(v) for v in eigenvalues / k), tuple(float(v) for v in first)


def audit(
    plan: Plan,
    values: NDArray,
    *,
    bias_corrected: bool = False,
    negative: float = NEGATIVE,
    collinear: float = COLLINEAR,
) -> Audit:
    """The coherence audit of the point data `values` (cities, indicators) under `plan`."""
    raw = np.asarray(values, dtype=float).T  # (indicators, cities)
    levels = point_levels(plan, values)
    area_level, pillar_level, index_level = plan.levels
    codes = list(area_level.children)

    stats = []
    valid = ~np.isnan(raw)
    n_cities = raw.shape[1]
    for i, code in enumerate(codes):
        v = raw[i, valid[i]]
        skew, kurt = moments(raw[i], bias_corrected) if v.size else (np.nan, np.nan)
        t = plan.treatments[i]
        stats.append(
            IndicatorStats(
                code=code,
                parent=area_level.parents[area_level.parent_of[i]],
                available=int(v.size),
                availability=float(v.size / n_cities) if n_cities else 0.0,
                mean=_num(v.mean()) if v.size else None,
                sd=_num(v.std(ddof=1)) if v.size > 1 else None,
                min=_num(v.min()) if v.size else None,
                max=_num(v.max()) if v.size else None,
                skew=_num(skew),
                kurtosis=_num(kurt),
                treatment=t.action,
                points=t.points,
            )
        )

    # the data of each level: indicators (treated, normalised), areas, pillars, index
    data = {
        "indicators": levels["indicators"],
        "areas": levels["areas"],
        "pillars": levels["pillars"],
        "index": levels["index"][None, :],
    }
    names = {
        "indicators": codes,
        "areas": list(area_level.parents),
        "pillars": list(pillar_level.parents),
        "index": ["index"],
    }
    groups = (("indicators", area_level), ("areas", pillar_level), ("pillars", index_level))

    def flag_pair(r: float) -> str:
        if not np.isfinite(r):
            return ""
        return "negative" if r < negative else "collinear" if r > collinear else ""

    pairs: list[Pair] = []
    alphas: list[Alpha] = []
    components: list[Components] = []
    for level, lp in groups:
        x = data[level]
        r = pairwise_correlation(x)
        for p, parent in enumerate(lp.parents):
            members = np.flatnonzero(lp.parent_of == p)
            for ai, a in enumerate(members):
                for b in members[ai + 1 :]:
                    value = float(r[a, b])
                    pairs.append(
                        Pair(level, parent, names[level][a], names[level][b], _num(value),
                             flag_pair(value))
                    )  # fmt: skip
            alpha, used = cronbach_alpha(x[members])
            alphas.append(Alpha(level, parent, int(members.size), used, alpha))
            if members.size >= 2:
                explained, loadings = principal_components(x[members])
                components.append(
                    Components(level, parent, tuple(names[level][m] for m in members),
                               explained, loadings)
                )  # fmt: skip

    # each node against its parent, grandparent and the index
    ancestors = {
        "indicators": [("areas", area_level.parent_of)],
        "areas": [("pillars", pillar_level.parent_of)],
        "pillars": [("index", index_level.parent_of)],
    }
    ancestors["indicators"].append(("pillars", pillar_level.parent_of[area_level.parent_of]))
    ancestors["indicators"].append(("index", np.zeros(len(codes), int)))
    ancestors["areas"].append(("index", np.zeros(len(area_level.parents), int)))
    cross: list[Cross] = []
    for level, targets in ancestors.items():
        for against, parent_of in targets:
            r = pairwise_correlation(data[level], data[against])
            for c, code in enumerate(names[level]):
                value = float(r[c, parent_of[c]])
                flag = "negative" if np.isfinite(value) and value < negative else ""
                cross.append(
                    Cross(level, code, against, names[against][parent_of[c]], _num(value), flag)
                )

    return Audit(
        indicators=stats,
        pairs=pairs,
        cross=cross,
        alphas=alphas,
        components=components,
        city_availability=[float(a) for a in valid.mean(axis=0)] if codes else [],
        thresholds={"negative": negative, "collinear": collinear},
    )
