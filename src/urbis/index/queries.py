"""Reads of the index: editions, their latest computation, rankings and city profiles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from urbis.index.engine.config import AREAS, PILLARS, area_code
from urbis.index.models import CityResult, Computation, Edition

AREA_LABELS = dict(AREAS)
PILLAR_LABELS = dict(PILLARS)


def editions() -> QuerySet[Edition]:
    return Edition.objects.order_by("-year")


def latest_computation(edition: Edition) -> Computation | None:
    return edition.computations.order_by("-computed_at", "-id").first()


def ranking(computation: Computation, *, tier: int | None = None) -> QuerySet[CityResult]:
    """The results of a computation, best rank first, with their cities (one query)."""
    qs = computation.results.select_related("city").order_by("rank", "city__name")
    if tier:
        qs = qs.filter(tier=tier)
    return qs


@dataclass
class AreaRow:
    code: str
    label: str
    structures: float | None
    technology: float | None
    mean: float | None
    tier_mean: float | None

    @property
    def gap(self) -> float | None:
        if self.mean is None or self.tier_mean is None:
            return None
        return self.mean - self.tier_mean

    @property
    def shortfall(self) -> float | None:
        return None if self.gap is None else -self.gap


def _mean(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def area_rows(result: CityResult, peers: list[CityResult]) -> list[AreaRow]:
    """Area scores (0-100) per pillar and on average, next to the average of the city's tier."""
    rows = []
    for code, label in AREAS:
        cells = [result.areas.get(area_code(p, code)) for p, _ in PILLARS]
        peer_means = [_mean([r.areas.get(area_code(p, code)) for p, _ in PILLARS]) for r in peers]
        mean = _mean(cells)
        tier_mean = _mean(peer_means)
        rows.append(
            AreaRow(
                code=code,
                label=label,
                structures=None if cells[0] is None else 100 * cells[0],
                technology=None if cells[1] is None else 100 * cells[1],
                mean=None if mean is None else 100 * mean,
                tier_mean=None if tier_mean is None else 100 * tier_mean,
            )
        )
    return rows


def priority_areas(rows: list[AreaRow], count: int = 2) -> list[AreaRow]:
    """The areas where the city falls furthest below the average of its HDI tier."""
    below = [r for r in rows if r.gap is not None and r.gap < 0]
    return sorted(below, key=lambda r: (r.gap, r.code))[:count]


def city_profile(computation: Computation, slug: str) -> dict[str, Any] | None:
    result = computation.results.select_related("city").filter(city__slug=slug).first()
    if result is None:
        return None
    peers = list(computation.results.filter(tier=result.tier))
    rows = area_rows(result, peers)
    return {
        "result": result,
        "areas": rows,
        "priorities": priority_areas(rows),
        "pillars": [
            (PILLAR_LABELS[p], 100 * v if v is not None else None)
            for p, v in result.pillars.items()
        ],
        "peers": len(peers),
        "total": computation.results.count(),
    }
