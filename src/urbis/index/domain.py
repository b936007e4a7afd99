"""Writes of the index: editions, all-or-nothing imports and computations.

Each function runs in one transaction and leaves an audit record. Imports validate every
row first and write nothing if any row is bad; the error names the row and the field.
"""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import tablib
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django_countries import countries

from urbis.common.audit import audit_record, snapshot
from urbis.common.roles import is_secretariat
from urbis.index import rules
from urbis.index.engine.pipeline import compute, prepare
from urbis.index.engine.pooling import WAVE_WEIGHTS, describe_weights, pool
from urbis.index.engine.ratings import grade_names, rate
from urbis.index.engine.sensitivity import sobol_indices
from urbis.index.engine.uncertainty import UncertaintySpec, analyse
from urbis.index.models import (
    Area,
    City,
    CityHDI,
    CityResult,
    Computation,
    Edition,
    Indicator,
    Pillar,
    SurveyValue,
)
from urbis.index.queries import EditionData, edition_config, edition_data  # noqa: F401


class ImportErrors(Exception):
    """Every bad row of an import; nothing was written."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("\n".join(errors))


def _check_actor(actor: Any) -> None:
    """The secretariat writes index data; `None` is the system (command line, demo data)."""
    if actor is not None and not is_secretariat(actor):
        raise PermissionDenied("Only the secretariat may change index data.")


def edition_create(
    *,
    year: int,
    title: str,
    cutpoints: Mapping[str, Any],
    actor: Any,
    synthetic: bool = False,
    respondents: int = 120,
    config: Mapping[str, Any] | None = None,
    notes: str = "",
) -> Edition:
    """Create (or update, by year) an edition; the cut-points are validated. `config`
    (method choices per level) is kept as it is when None."""
    _check_actor(actor)
    errors = rules.validate_cutpoints(cutpoints)
    if errors:
        raise ValidationError({"cutpoints": errors})
    with transaction.atomic():
        edition = Edition.objects.filter(year=year).first()
        before = snapshot(edition) if edition else None
        edition = edition or Edition(year=year)
        edition.title = title
        edition.cutpoints = {str(k): dict(v) for k, v in cutpoints.items()}
        if config is not None:  # None keeps the methods already configured
            edition.config = dict(config)
        edition.synthetic = synthetic
        edition.respondents = respondents
        edition.notes = notes
        edition.full_clean()
        edition.save()
        after = snapshot(edition)
        if before != after:
            action = "index.edition_update" if before else "index.edition_create"
            audit_record(actor=actor, action=action, target=edition, before=before, after=after)
    return edition


def read_table(path: Path | str, content: bytes | None = None) -> tablib.Dataset:
    """A CSV or XLSX file as a dataset (the format from the file's extension); `content`
    gives the bytes of an uploaded file instead of reading `path`."""
    path = Path(path)
    suffix = path.suffix.lower()
    data = content if content is not None else None
    try:
        if suffix == ".csv":
            raw = data if data is not None else path.read_bytes()
            return tablib.Dataset().load(raw.decode("utf-8-sig"), format="csv")
        if suffix == ".xlsx":
            raw = data if data is not None else path.read_bytes()
            return tablib.Dataset().load(raw, format="xlsx")
    except (UnicodeDecodeError, ValueError, KeyError, OSError, zipfile.BadZipFile) as exc:
        # a corrupt workbook is not a zip archive (BadZipFile) or lacks its parts (KeyError)
        raise ValidationError(f"{path.name}: cannot be read as {suffix[1:]}: {exc}") from exc
    raise ValidationError(f"{path.name}: expected a .csv or .xlsx file.")


IMPORTERS = ("cities", "indicators", "survey")


def data_import(*, edition: Edition, kind: str, dataset: tablib.Dataset, actor: Any) -> int:
    """Import one kind of file (see IMPORTERS) into `edition`."""
    functions = {"cities": cities_import, "indicators": indicators_import, "survey": survey_import}
    if kind not in functions:
        raise ValidationError(f"Unknown kind {kind!r}; choose one of {', '.join(IMPORTERS)}.")
    return functions[kind](edition=edition, dataset=dataset, actor=actor)


@dataclass
class _Rows:
    dataset: tablib.Dataset
    required: tuple[str, ...]
    errors: list[str]

    def __iter__(self):  # type: ignore[no-untyped-def]
        headers = [str(h or "").strip().lower() for h in (self.dataset.headers or [])]
        missing = [c for c in self.required if c not in headers]
        if missing:
            self.errors.append("header: missing column(s): " + ", ".join(missing))
            return
        for number, row in enumerate(self.dataset, start=2):  # row 1 is the header
            values = {
                h: ("" if v is None else str(v).strip()) for h, v in zip(headers, row, strict=False)
            }
            if not any(values.values()):
                continue
            nul = [h for h, v in values.items() if "\x00" in v]
            if nul:  # PostgreSQL refuses NUL in text, even in a lookup
                self.errors.extend(f"row {number}: {h}: contains a NUL character" for h in nul)
                continue
            yield number, values


def _number(text: str, row: int, field: str, errors: list[str], lo: float, hi: float):
    try:
        value = float(text)
    except ValueError:
        errors.append(f"row {row}: {field}: {text!r} is not a number")
        return None
    if not math.isfinite(value) or not lo <= value <= hi:
        errors.append(f"row {row}: {field}: {value:g} is not within {lo:g}-{hi:g}")
        return None
    return value


def _country(text: str) -> str | None:
    if not text:
        return None
    code = text.upper()
    if code in dict(countries):
        return code
    by_name = countries.by_name(text)
    return by_name or None


def cities_import(*, edition: Edition, dataset: tablib.Dataset, actor: Any) -> int:
    """Cities with their country and city-level HDI for `edition` (columns: name, country,
    hdi, optional source). Returns the number of rows imported."""
    _check_actor(actor)
    errors: list[str] = []
    parsed = []
    seen: dict[str, int] = {}
    for row, v in _Rows(dataset, ("name", "country", "hdi"), errors):
        name = v["name"]
        if not name:
            errors.append(f"row {row}: name: required")
        elif name in seen:
            errors.append(f"row {row}: name: {name!r} already on row {seen[name]}")
        seen.setdefault(name, row)
        country = _country(v["country"])
        if country is None:
            errors.append(f"row {row}: country: {v['country']!r} is not a country")
        hdi = _number(v["hdi"], row, "hdi", errors, 0, 1)
        parsed.append((name, country or "", hdi, v.get("source", "")))
    if errors:
        raise ImportErrors(errors)
    with transaction.atomic():
        changes = 0
        for name, country, hdi, source in parsed:
            city = City.objects.filter(name=name).first()
            if city is None:
                city = City.objects.create(name=name, slug=_unique_slug(name), country=country)
                changes += 1
            elif str(city.country) != country:
                city.country = country
                city.save(update_fields=["country"])
                changes += 1
            current = CityHDI.objects.filter(edition=edition, city=city).first()
            if current is None or (current.hdi, current.source) != (hdi, source):
                CityHDI.objects.update_or_create(
                    edition=edition, city=city, defaults={"hdi": hdi, "source": source}
                )
                changes += 1
        if changes:  # re-importing the same file leaves no trace
            audit_record(
                actor=actor,
                action="index.cities_import",
                target=edition,
                after={"rows": len(parsed), "changes": changes},
            )
    return len(parsed)


def _unique_slug(name: str) -> str:
    base = slugify(name)[:120] or "city"
    slug, n = base, 2
    while City.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def indicators_import(*, edition: Edition, dataset: tablib.Dataset, actor: Any) -> int:
    """Survey items of `edition` (columns: code, pillar, area, statement)."""
    _check_actor(actor)
    errors: list[str] = []
    parsed = []
    seen: set[str] = set()
    for row, v in _Rows(dataset, ("code", "pillar", "area", "statement"), errors):
        code = v["code"]
        if not re.fullmatch(r"[A-Za-z0-9_-]+", code):
            errors.append(f"row {row}: code: {code!r} must be letters, digits, - or _")
        if code in seen:
            errors.append(f"row {row}: code: {code!r} appears twice")
        seen.add(code)
        if v["pillar"] not in Pillar.values:
            errors.append(f"row {row}: pillar: {v['pillar']!r} is not one of {Pillar.values}")
        if v["area"] not in Area.values:
            errors.append(f"row {row}: area: {v['area']!r} is not one of {Area.values}")
        if not v["statement"]:
            errors.append(f"row {row}: statement: required")
        parsed.append((code, v["pillar"], v["area"], v["statement"]))
    if errors:
        raise ImportErrors(errors)
    with transaction.atomic():
        existing = {
            i.code: (i.pillar, i.area, i.statement, i.position)
            for i in Indicator.objects.filter(edition=edition)
        }
        changes = 0
        for position, (code, pillar, area, statement) in enumerate(parsed, start=1):
            if existing.get(code) == (pillar, area, statement, position):
                continue
            Indicator.objects.update_or_create(
                edition=edition,
                code=code,
                defaults={
                    "pillar": pillar,
                    "area": area,
                    "statement": statement,
                    "position": position,
                },
            )
            changes += 1
        if changes:  # re-importing the same file leaves no trace
            audit_record(
                actor=actor,
                action="index.indicators_import",
                target=edition,
                after={"rows": len(parsed), "changes": changes},
            )
    return len(parsed)


def survey_import(*, edition: Edition, dataset: tablib.Dataset, actor: Any) -> int:
    """Survey results (columns: city, indicator, wave, share, optional respondents); a
    share is the fraction 0-1 of respondents agreeing. Cities and items must exist."""
    _check_actor(actor)
    errors: list[str] = []
    cities = {c.name: c for c in City.objects.all()}
    items = {i.code: i for i in edition.indicators.all()}
    parsed: list[tuple[Indicator, City, int, float, int | None]] = []
    seen: dict[tuple[str, str, int], int] = {}
    for row, v in _Rows(dataset, ("city", "indicator", "wave", "share"), errors):
        city = cities.get(v["city"])
        if city is None:
            errors.append(f"row {row}: city: {v['city']!r} is not a known city")
        item = items.get(v["indicator"])
        if item is None:
            errors.append(f"row {row}: indicator: {v['indicator']!r} is not an item of {edition}")
        wave = _number(v["wave"], row, "wave", errors, 1900, 2100)
        share = _number(v["share"], row, "share", errors, 0, 1)
        respondents = None
        if v.get("respondents"):
            count = _number(v["respondents"], row, "respondents", errors, 1, 10**7)
            respondents = int(count) if count is not None else None
        if wave is not None and wave != int(wave):
            errors.append(f"row {row}: wave: {v['wave']!r} is not a year")
        key = (v["city"], v["indicator"], int(wave or 0))
        if key in seen:
            errors.append(f"row {row}: wave: the same city, item and wave as row {seen[key]}")
        seen.setdefault(key, row)
        if city and item and wave is not None and share is not None:
            parsed.append((item, city, int(wave), share, respondents))
    if errors:
        raise ImportErrors(errors)
    with transaction.atomic():
        existing = {
            (sv.indicator_id, sv.city_id, sv.wave): sv
            for sv in SurveyValue.objects.filter(indicator__edition=edition)
        }
        new, changed = [], []
        for item, city, wave, share, respondents in parsed:
            sv = existing.get((item.pk, city.pk, wave))
            if sv is None:
                new.append(
                    SurveyValue(
                        indicator=item, city=city, wave=wave, share=share, respondents=respondents
                    )
                )
            elif (sv.share, sv.respondents) != (share, respondents):
                sv.share, sv.respondents = share, respondents
                changed.append(sv)
        SurveyValue.objects.bulk_create(new, batch_size=1000)
        SurveyValue.objects.bulk_update(changed, ["share", "respondents"], batch_size=1000)
        if new or changed:  # re-importing the same file leaves no trace
            audit_record(
                actor=actor,
                action="index.survey_import",
                target=edition,
                after={"rows": len(parsed), "new": len(new), "changed": len(changed)},
            )
    return len(parsed)


# --- computation -------------------------------------------------------------------------


def _finite(value: Any, digits: int = 6) -> float | None:
    """A float for JSON (PostgreSQL's jsonb refuses NaN): None when missing."""
    number = float(value)
    return round(number, digits) if math.isfinite(number) else None


def index_compute(
    *,
    edition: Edition,
    actor: Any,
    runs: int = 1000,
    seed: int = 2023,
    sobol_samples: int = 256,
    workers: int = 1,
    progress: Callable[[int], None] | None = None,
) -> Computation:
    """Compute an edition: pooled survey shares → point index, tiers and ratings, Monte Carlo
    rank intervals and rating probabilities, Sobol indices; stored as a new computation."""
    _check_actor(actor)
    data = edition_data(edition)
    problems = []
    if len(data.cities) < 4:
        problems.append("at least 4 cities with an HDI are needed to form four tiers")
    if not data.items:
        problems.append("the edition has no survey item")
    pooled = pool(data.values, WAVE_WEIGHTS)
    if data.items:
        empty = [c.name for j, c in enumerate(data.cities) if np.isnan(pooled.values[j]).all()]
        if empty:
            problems.append(
                f"no survey value in waves {', '.join(map(str, data.waves))} for: "
                + ", ".join(empty)
            )
    if problems:
        raise ValidationError(problems)
    config = edition_config(edition, data.items)
    tiers = rules.hdi_tiers(data.hdi)
    plan = prepare(config, pooled.values, groups=tiers)
    point = compute(config, pooled.values, groups=tiers, plan=plan)
    spec = UncertaintySpec(
        runs=runs,
        seed=seed,
        respondents=edition.respondents,
        imputations=("none", "mean", "median", "group_mean"),
        workers=workers,
    )
    mc = analyse(
        plan, pooled.values, spec, tiers=tiers, cutpoints=edition.cutpoints, progress=progress
    )
    sobol = (
        sobol_indices(plan, pooled.values, spec, base_samples=sobol_samples)
        if sobol_samples
        else None
    )
    ratings = grade_names(rate(point.score, tiers, edition.cutpoints))
    with transaction.atomic():
        computation = Computation.objects.create(
            edition=edition,
            computed_by=actor if getattr(actor, "is_authenticated", False) else None,
            runs=runs,
            seed=seed,
            waves=data.waves,
            methods=point.methods,
            uncertainty={k: v for k, v in spec.as_dict().items() if k not in {"workers", "chunk"}},
            sensitivity=[
                {k: _finite(v) if isinstance(v, float) else v for k, v in row.items()}
                for row in (sobol.as_rows() if sobol else [])
            ],
            synthetic=edition.synthetic,
        )
        results = []
        for j, city in enumerate(data.cities):
            present = ~np.isnan(data.values[:, j, :]).all(axis=1)
            w = np.where(present, np.asarray(WAVE_WEIGHTS[: len(data.waves)]), 0.0)
            w = w / w.sum() if w.sum() else w
            results.append(
                CityResult(
                    computation=computation,
                    city=city,
                    tier=int(tiers[j]),
                    hdi=float(data.hdi[j]),
                    score=_finite(point.score[j]),
                    rank=int(point.rank[j]),
                    rating=ratings[j],
                    median_rank=int(mc.median_rank[j]),
                    rank_low=int(mc.rank_p05[j]),
                    rank_high=int(mc.rank_p95[j]),
                    rating_probabilities={
                        g: round(p, 4) for g, p in mc.rating_probability(j).items()
                    },
                    pillars={k: _finite(v[j]) for k, v in point.pillars.items()},
                    areas={k: _finite(v[j]) for k, v in point.areas.items()},
                    pooling={
                        "weights": {
                            str(y): round(float(x), 4) for y, x in zip(data.waves, w, strict=True)
                        },
                        "statement": describe_weights(w.tolist(), data.waves),
                    },
                )
            )
        CityResult.objects.bulk_create(results)
        audit_record(
            actor=actor,
            action="index.compute",
            target=computation,
            after={"edition": edition.year, "runs": runs, "seed": seed, "cities": len(results)},
        )
    return computation
