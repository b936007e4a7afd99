"""Reads of the index: editions, their latest computation, rankings and city profiles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import Count, OuterRef, QuerySet, Subquery

from urbis.index import rules
from urbis.index.engine.audit import Audit, audit
from urbis.index.engine.config import (
    AREAS,
    PILLARS,
    IndexConfig,
    Level,
    area_code,
    published_structure,
)
from urbis.index.engine.pipeline import prepare
from urbis.index.engine.pooling import WAVE_WEIGHTS, pool
from urbis.index.models import City, CityResult, Computation, Edition, Indicator, SurveyValue

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


# --- the edition's data and its coherence audit -------------------------------------


@dataclass
class EditionData:
    cities: list[City]
    hdi: np.ndarray
    items: list[Indicator]
    waves: list[int]
    values: np.ndarray  # (waves, cities, items)


def edition_data(edition: Edition) -> EditionData:
    """The matrices of an edition: every city with an HDI, every item, the pooled waves."""
    hdi_rows = list(edition.hdi_values.select_related("city").order_by("city__name"))
    items = list(edition.indicators.order_by("position", "code"))
    waves = rules.pooled_waves(edition.year)
    cities = [h.city for h in hdi_rows]
    col = {c.pk: j for j, c in enumerate(cities)}
    row = {i.pk: k for k, i in enumerate(items)}
    values = np.full((len(waves), len(cities), len(items)), np.nan)
    for ind, city, wave, share in SurveyValue.objects.filter(
        indicator__edition=edition, wave__in=waves
    ).values_list("indicator_id", "city_id", "wave", "share"):
        if city in col:
            values[waves.index(wave), col[city], row[ind]] = share
    return EditionData(cities, np.array([h.hdi for h in hdi_rows]), items, waves, values)


def edition_config(edition: Edition, items: list[Indicator]) -> IndexConfig:
    """The published structure of the edition's items with the edition's own methods."""
    config = published_structure([(i.code, i.pillar, i.area, i.statement) for i in items])
    for name, spec in (edition.config.get("levels") or {}).items():
        config = config.with_level(
            name, **{k: v for k, v in spec.items() if k in Level.__dataclass_fields__}
        )
    return config


@dataclass
class EditionAudit:
    edition: Edition
    cities: list[str]
    waves: list[int]
    audit: Audit | None
    problem: str = ""


def edition_audit(edition: Edition, *, bias_corrected: bool = False) -> EditionAudit:
    """The coherence audit of an edition's pooled survey shares under its configured
    methods: what the secretariat checks before computing and publishing."""
    data = edition_data(edition)
    names = [c.name for c in data.cities]
    if not data.items or len(data.cities) < 3:
        problem = "An audit needs at least 3 cities with an HDI and one survey item."
        return EditionAudit(edition, names, data.waves, None, problem)
    pooled = pool(data.values, WAVE_WEIGHTS)
    config = edition_config(edition, data.items)
    tiers = rules.hdi_tiers(data.hdi) if len(data.cities) >= 4 else None
    try:
        plan = prepare(config, pooled.values, groups=tiers)
    except ValueError as exc:
        return EditionAudit(edition, names, data.waves, None, str(exc))
    return EditionAudit(
        edition, names, data.waves, audit(plan, pooled.values, bias_corrected=bias_corrected)
    )


# --- trends across editions ------------------------------------------------------------


def latest_computation_ids() -> list[int]:
    """The latest computation of every edition (one query)."""
    latest = (
        Computation.objects.filter(edition=OuterRef("pk"))
        .order_by("-computed_at", "-id")
        .values("id")[:1]
    )
    return list(
        Edition.objects.annotate(latest=Subquery(latest))
        .exclude(latest=None)
        .values_list("latest", flat=True)
    )


@dataclass
class CityEditionRow:
    year: int
    rank: int
    cities: int
    score: float | None
    rating: str
    rank_low: int
    rank_high: int
    tier: int
    pillars: dict[str, float | None]


def city_trend(city: City) -> list[CityEditionRow]:
    """The city's published result in every computed edition, oldest first (two queries)."""
    ids = latest_computation_ids()
    totals = dict(
        CityResult.objects.filter(computation_id__in=ids)
        .values("computation_id")
        .annotate(n=Count("id"))
        .values_list("computation_id", "n")
    )
    rows = (
        CityResult.objects.filter(computation_id__in=ids, city=city)
        .select_related("computation__edition")
        .order_by("computation__edition__year")
    )
    return [
        CityEditionRow(
            year=r.computation.edition.year,
            rank=r.rank,
            cities=totals.get(r.computation_id, 0),
            score=r.score,
            rating=r.rating,
            rank_low=r.rank_low,
            rank_high=r.rank_high,
            tier=r.tier,
            pillars={PILLAR_LABELS.get(p, p): v for p, v in r.pillars.items()},
        )
        for r in rows
    ]


@dataclass
class IndicatorEditionRow:
    year: int
    waves: list[int]
    cities: int  # cities with a pooled value
    mean: float | None  # across those cities
    city: float | None  # the given city's pooled share


def indicator_trend(code: str, city: City | None = None) -> list[IndicatorEditionRow]:
    """An item's pooled share (its edition's waves pooled 3:2:1) in every edition that asks
    it, oldest first: the mean across cities and, if given, one city's (one query)."""
    items = {
        i.pk: i.edition.year for i in Indicator.objects.filter(code=code).select_related("edition")
    }
    if not items:
        return []
    windows = {year: rules.pooled_waves(year) for year in items.values()}
    values = SurveyValue.objects.filter(indicator_id__in=items).values_list(
        "indicator_id", "city_id", "wave", "share"
    )
    per_year: dict[int, dict[int, np.ndarray]] = {year: {} for year in windows}
    for indicator_id, city_id, wave, share in values:
        year = items[indicator_id]
        waves = windows[year]
        if wave in waves:
            row = per_year[year].setdefault(city_id, np.full(len(waves), np.nan))
            row[waves.index(wave)] = share
    out = []
    for year in sorted(per_year):
        by_city = per_year[year]
        ids = list(by_city)
        matrix = np.array([by_city[c] for c in ids]).T[:, :, None] if ids else None
        pooled = pool(matrix, WAVE_WEIGHTS).values[:, 0] if matrix is not None else np.array([])
        present = pooled[~np.isnan(pooled)]
        mine = None
        if city is not None and city.pk in by_city:
            value = pooled[ids.index(city.pk)]
            mine = None if np.isnan(value) else float(value)
        out.append(
            IndicatorEditionRow(
                year=year,
                waves=windows[year],
                cities=int(present.size),
                mean=float(present.mean()) if present.size else None,
                city=mine,
            )
        )
    return out


def city_indicator_trends(city: City) -> list[tuple[str, str, dict[int, float | None]]]:
    """Every item the city answered, with its pooled share per edition: (code, statement,
    {year: share}), in one pass over the city's values (one query)."""
    values = (
        SurveyValue.objects.filter(city=city)
        .select_related("indicator__edition")
        .order_by("indicator__position", "indicator__code")
    )
    shares: dict[tuple[str, int], np.ndarray] = {}
    statements: dict[str, str] = {}
    for v in values:
        year = v.indicator.edition.year
        waves = rules.pooled_waves(year)
        if v.wave not in waves:
            continue
        statements.setdefault(v.indicator.code, v.indicator.statement)
        row = shares.setdefault((v.indicator.code, year), np.full(len(waves), np.nan))
        row[waves.index(v.wave)] = v.share
    out: dict[str, dict[int, float | None]] = {code: {} for code in statements}
    for (code, year), row in shares.items():
        value = pool(row[:, None, None], WAVE_WEIGHTS).values[0, 0]
        out[code][year] = None if np.isnan(value) else float(value)
    return [(code, statements[code], dict(sorted(out[code].items()))) for code in statements]
