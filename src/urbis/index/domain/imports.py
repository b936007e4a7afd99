"""All-or-nothing imports of an edition's cities, survey items and survey results: every row
is checked first, nothing is written if one is bad, and each error names its row and field.

Files (CSV or XLSX) are read by `common.imports.read_table`: row numbers as the file shows
them, the header checked (missing and unknown columns), NUL and encoding refused, every
problem a `RowError` ("row N: column: reason") raised together as `ImportFileError`. What
the rows name (cities, items, values already stored) is read in a fixed number of queries
and written in bulk, so a file of a thousand rows costs the queries of a file of one.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from urbis.common.actor import Actor
from urbis.common.audit import audit_record
from urbis.common.imports import ImportFileError, Row, RowError, country_code, read_table
from urbis.index.models import (
    Area,
    City,
    CityHDI,
    Edition,
    Indicator,
    Pillar,
    SurveyValue,
)


@dataclass(frozen=True)
class Columns:
    """The columns of one kind of file: those it must have, and those it may."""

    required: tuple[str, ...]
    optional: tuple[str, ...] = ()


COLUMNS: dict[str, Columns] = {
    "cities": Columns(("name", "country", "hdi"), ("source",)),
    "indicators": Columns(("code", "pillar", "area", "statement")),
    "survey": Columns(("city", "indicator", "wave", "share"), ("respondents",)),
}
IMPORTERS = tuple(COLUMNS)


def data_import(*, edition: Edition, kind: str, data: bytes, name: str, actor: Actor) -> int:
    """Import one kind of file (see IMPORTERS) called `name` into `edition`."""
    importers: dict[str, Callable[..., int]] = {
        "cities": cities_import,
        "indicators": indicators_import,
        "survey": survey_import,
    }
    if kind not in importers:
        raise ValidationError(
            {"kind": f"Unknown kind {kind!r}; choose one of {', '.join(IMPORTERS)}."}
        )
    return importers[kind](edition=edition, data=data, name=name, actor=actor)


def _rows(kind: str, data: bytes, name: str) -> tuple[list[Row], list[RowError]]:
    """The file's rows and the errors of its cells (NUL); a file that cannot be read or
    whose header is wrong stops here, before any row is checked."""
    columns = COLUMNS[kind]
    table = read_table(data, name=name, required=columns.required, optional=columns.optional)
    if any(e.row in {None, 1} for e in table.errors):
        raise ImportFileError(table.errors)
    return table.rows, list(table.errors)


def _number(row: Row, column: str, errors: list[RowError], lo: float, hi: float) -> float | None:
    text = row[column]
    try:
        value = float(text)
    except ValueError:
        errors.append(row.error(column, f"{text!r} is not a number"))
        return None
    if not math.isfinite(value) or not lo <= value <= hi:
        errors.append(row.error(column, f"{value:g} is not within {lo:g}-{hi:g}"))
        return None
    return value


def _country(row: Row, errors: list[RowError]) -> str | None:
    """The row's country as an ISO code (`common.imports.country_code`: a code or an
    English name)."""
    try:
        code = country_code(row["country"])
    except ValueError:
        code = ""
    if not code:
        errors.append(row.error("country", f"{row['country']!r} is not a country"))
        return None
    return code


def _recorded(actor: Actor, edition: Edition, kind: str, *, rows: int, **counts: int) -> None:
    """The import's audit record, if it changed anything: re-importing the same file leaves
    no trace."""
    if any(counts.values()):
        audit_record(
            actor=actor,
            action=f"index.{kind}_import",
            target=edition,
            after={"rows": rows, **counts},
        )


def _raise(errors: list[RowError]) -> None:
    if errors:
        raise ImportFileError(errors)


def cities_import(*, edition: Edition, data: bytes, name: str, actor: Actor) -> int:
    """Cities with their country and city-level HDI for `edition` (columns: name, country,
    hdi, optional source). Returns the number of rows imported."""
    rows, errors = _rows("cities", data, name)
    parsed: list[tuple[str, str, float, str]] = []
    seen: dict[str, int] = {}
    for row in rows:
        label = row["name"]
        if not label:
            errors.append(row.error("name", "required"))
        elif label in seen:
            errors.append(row.error("name", f"{label!r} already on row {seen[label]}"))
        seen.setdefault(label, row.number)
        country = _country(row, errors)
        hdi = _number(row, "hdi", errors, 0, 1)
        if hdi is not None:  # a bad value is already an error: nothing is written
            parsed.append((label, country or "", hdi, row["source"]))
    _raise(errors)
    with transaction.atomic():
        # A fixed number of queries whatever the file's length: the cities, their slugs and
        # the edition's HDI values are read once, and written in bulk.
        names = [row[0] for row in parsed]
        cities = {c.name: c for c in City.objects.filter(name__in=names)}
        taken = set(City.objects.values_list("slug", flat=True))
        created = [
            City(name=label, slug=_unique_slug(label, taken), country=country)
            for label, country, _, _ in parsed
            if label not in cities
        ]
        City.objects.bulk_create(created)
        if created:  # ids as the database gave them, on every backend
            cities |= {c.name: c for c in City.objects.filter(name__in=[c.name for c in created])}
        new_names = {c.name for c in created}
        moved = []
        for city_name, country, _, _ in parsed:
            city = cities[city_name]
            if city_name not in new_names and str(city.country) != country:
                city.country = country
                moved.append(city)
        City.objects.bulk_update(moved, ["country"])
        current = {
            h.city_id: h
            for h in CityHDI.objects.filter(edition=edition, city__in=list(cities.values()))
        }
        new_hdi, changed_hdi = [], []
        for city_name, _, hdi, source in parsed:
            city = cities[city_name]
            found = current.get(city.pk)
            if found is None:
                new_hdi.append(CityHDI(edition=edition, city=city, hdi=hdi, source=source))
            elif (found.hdi, found.source) != (hdi, source):
                found.hdi, found.source = hdi, source
                changed_hdi.append(found)
        CityHDI.objects.bulk_create(new_hdi)
        CityHDI.objects.bulk_update(changed_hdi, ["hdi", "source"])
        changes = len(created) + len(moved) + len(new_hdi) + len(changed_hdi)
        _recorded(actor, edition, "cities", rows=len(parsed), changes=changes)
    return len(parsed)


def _unique_slug(name: str, taken: set[str]) -> str:
    """A slug for a new city that no city has (`taken`, which it joins)."""
    base = slugify(name)[:120] or "city"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def indicators_import(*, edition: Edition, data: bytes, name: str, actor: Actor) -> int:
    """Survey items of `edition` (columns: code, pillar, area, statement), in the file's
    order (their `position`)."""
    rows, errors = _rows("indicators", data, name)
    parsed = []
    seen: set[str] = set()
    for row in rows:
        code = row["code"]
        if not re.fullmatch(r"[A-Za-z0-9_-]+", code):
            errors.append(row.error("code", f"{code!r} must be letters, digits, - or _"))
        if code in seen:
            errors.append(row.error("code", f"{code!r} appears twice"))
        seen.add(code)
        if row["pillar"] not in Pillar.values:
            errors.append(row.error("pillar", f"{row['pillar']!r} is not one of {Pillar.values}"))
        if row["area"] not in Area.values:
            errors.append(row.error("area", f"{row['area']!r} is not one of {Area.values}"))
        if not row["statement"]:
            errors.append(row.error("statement", "required"))
        parsed.append((code, row["pillar"], row["area"], row["statement"]))
    _raise(errors)
    with transaction.atomic():
        existing = {i.code: i for i in Indicator.objects.filter(edition=edition)}
        new, changed = [], []
        for position, (code, pillar, area, statement) in enumerate(parsed, start=1):
            values = (pillar, area, statement, position)
            item = existing.get(code)
            if item is None:
                new.append(
                    Indicator(
                        edition=edition,
                        code=code,
                        pillar=pillar,
                        area=area,
                        statement=statement,
                        position=position,
                    )
                )
            elif (item.pillar, item.area, item.statement, item.position) != values:
                item.pillar, item.area, item.statement, item.position = values
                changed.append(item)
        Indicator.objects.bulk_create(new)
        Indicator.objects.bulk_update(changed, ["pillar", "area", "statement", "position"])
        _recorded(actor, edition, "indicators", rows=len(parsed), changes=len(new) + len(changed))
    return len(parsed)


def survey_import(*, edition: Edition, data: bytes, name: str, actor: Actor) -> int:
    """Survey results (columns: city, indicator, wave, share, optional respondents); a
    share is the fraction 0-1 of respondents agreeing. Cities and items must exist."""
    rows, errors = _rows("survey", data, name)
    cities = {c.name: c for c in City.objects.filter(name__in={row["city"] for row in rows})}
    items = {i.code: i for i in edition.indicators.all()}
    parsed: list[tuple[Indicator, City, int, float, int | None]] = []
    seen: dict[tuple[str, str, int], int] = {}
    for row in rows:
        city = cities.get(row["city"])
        if city is None:
            errors.append(row.error("city", f"{row['city']!r} is not a known city"))
        item = items.get(row["indicator"])
        if item is None:
            errors.append(
                row.error("indicator", f"{row['indicator']!r} is not an item of {edition}")
            )
        wave = _number(row, "wave", errors, 1900, 2100)
        share = _number(row, "share", errors, 0, 1)
        respondents = None
        if row["respondents"]:
            count = _number(row, "respondents", errors, 1, 10**7)
            respondents = int(count) if count is not None else None
        if wave is not None and wave != int(wave):
            errors.append(row.error("wave", f"{row['wave']!r} is not a year"))
        key = (row["city"], row["indicator"], int(wave or 0))
        if key in seen:
            errors.append(row.error("wave", f"the same city, item and wave as row {seen[key]}"))
        seen.setdefault(key, row.number)
        if city and item and wave is not None and share is not None:
            parsed.append((item, city, int(wave), share, respondents))
    _raise(errors)
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
        _recorded(actor, edition, "survey", rows=len(parsed), new=len(new), changed=len(changed))
    return len(parsed)
