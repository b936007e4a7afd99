"""The index's published rules as pure functions (no ORM).

They follow the published methodology of the citizen-centric Smart City Index that the
network co-publishes (2023 edition): survey waves pooled 3:2:1, four tiers by city-level
HDI, ratings on per-tier scales with published cut-points.
"""

from __future__ import annotations

from collections.abc import Mapping

from urbis.index.engine.pooling import WAVE_WEIGHTS
from urbis.index.engine.ratings import GRADES, TIER_SCALES, hdi_tiers, validate_cutpoints

__all__ = [
    "GRADES",
    "TIER_SCALES",
    "WAVE_WEIGHTS",
    "hdi_tiers",
    "pooled_waves",
    "rating_for",
    "validate_cutpoints",
]


def pooled_waves(edition_year: int) -> list[int]:
    """The waves an edition pools: the last three survey years up to the edition's year.

    Methodology, "Survey waves": the three most recent waves, weighted 3:2:1 (most recent
    first); a year with no wave is still one of the three (its weight is renormalised away).
    """
    return [edition_year - i for i in range(len(WAVE_WEIGHTS))]


def rating_for(score: float, tier: int, cutpoints: Mapping) -> str:
    """The grade of a 0-100 score in a tier, by the edition's published cut-points.

    Methodology, "Ratings": a score at a cut-point earns that grade; the tier's last grade
    takes every score below its last cut-point.
    """
    errors = validate_cutpoints(cutpoints)
    if errors:
        raise ValueError("; ".join(errors))
    scale = TIER_SCALES[tier]
    given = cutpoints.get(tier) or cutpoints.get(str(tier)) or {}
    for grade in scale[:-1]:
        if score >= float(given[grade]):
            return grade
    return scale[-1]
