"""All-or-nothing imports of an edition's cities, survey items and survey results: every row
is checked first, nothing is written if one is bad, and each error names its row and field."""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import tablib
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django_countries import countries

from urbis.common.actor import Actor
from urbis.common.audit import audit_record
from urbis.index.models import (
    Area,
    City,
    CityHDI,
    Edition,
    Indicator,
    Pillar,
    SurveyValue,
)


class ImportErrors(Exception):
    """Every bad row of an import; nothing was written."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("\n".join(errors))


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


def data_import(*, edition: Edition, kind: str, dataset: tablib.Dataset, actor: Actor) -> int:
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

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
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


def _number(
    text: str, row: int, field: str, errors: list[str], lo: float, hi: float
) -> float | None:
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


def cities_import(*, edition: Edition, dataset: tablib.Dataset, actor: Actor) -> int:
    """Cities with their country and city-level HDI for `edition` (columns: name, country,
    hdi, optional source). Returns the number of rows imported."""
    errors: list[str] = []
    parsed: list[tuple[str, str, float, str]] = []
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
        if hdi is not None:  # a bad value is already an error: nothing is written
            parsed.append((name, country or "", hdi, v.get("source", "")))
    if errors:
        raise ImportErrors(errors)
    with transaction.atomic():
        # A fixed number of queries whatever the file's length: the cities, their slugs and
        # the edition's HDI values are read once, and written in bulk.
        names = [row[0] for row in parsed]
        cities = {c.name: c for c in City.objects.filter(name__in=names)}
        taken = set(City.objects.values_list("slug", flat=True))
        created = [
            City(name=name, slug=_unique_slug(name, taken), country=country)
            for name, country, _, _ in parsed
            if name not in cities
        ]
        City.objects.bulk_create(created)
        if created:  # ids as the database gave them, on every backend
            cities |= {c.name: c for c in City.objects.filter(name__in=[c.name for c in created])}
        new_names = {c.name for c in created}
        moved = []
        for name, country, _, _ in parsed:
            city = cities[name]
            if name not in new_names and str(city.country) != country:
                city.country = country
                moved.append(city)
        City.objects.bulk_update(moved, ["country"])
        current = {
            h.city_id: h
            for h in CityHDI.objects.filter(edition=edition, city__in=list(cities.values()))
        }
        new_hdi, changed_hdi = [], []
        for name, _, hdi, source in parsed:
            city = cities[name]
            found = current.get(city.pk)
            if found is None:
                new_hdi.append(CityHDI(edition=edition, city=city, hdi=hdi, source=source))
            elif (found.hdi, found.source) != (hdi, source):
                found.hdi, found.source = hdi, source
                changed_hdi.append(found)
        CityHDI.objects.bulk_create(new_hdi)
        CityHDI.objects.bulk_update(changed_hdi, ["hdi", "source"])
        changes = len(created) + len(moved) + len(new_hdi) + len(changed_hdi)
        if changes:  # re-importing the same file leaves no trace
            audit_record(
                actor=actor,
                action="index.cities_import",
                target=edition,
                after={"rows": len(parsed), "changes": changes},
            )
    return len(parsed)


def _unique_slug(name: str, taken: set[str]) -> str:
    """A slug for a new city that no city has (`taken`, which it joins)."""
    base = slugify(name)[:120] or "city"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def indicators_import(*, edition: Edition, dataset: tablib.Dataset, actor: Actor) -> int:
    """Survey items of `edition` (columns: code, pillar, area, statement)."""
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


def survey_import(*, edition: Edition, dataset: tablib.Dataset, actor: Actor) -> int:
    """Survey results (columns: city, indicator, wave, share, optional respondents); a
    share is the fraction 0-1 of respondents agreeing. Cities and items must exist."""
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
