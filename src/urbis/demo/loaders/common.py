"""Regions of the network and the country → region mapping, from `regions.yaml`.

Every row is validated first (codes checked with pycountry, every ISO 3166-1 country must
be mapped exactly once); any error raises `DataErrors` before anything is written. Rows are
upserted by their natural key (region code, country code), so loading twice changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pycountry
from django.db import transaction

from urbis.common.audit import audit_record, snapshot
from urbis.common.models import CountryRegion, Region
from urbis.demo.loaders.context import LoadContext
from urbis.demo.yamlio import LINE_KEY, DataError, DataErrors, read_yaml

FILE = "regions.yaml"
REGION_FIELDS = {"code", "name", "parent", "sort_order"}
COUNTRY_FIELDS = {"country", "region"}
CODE_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class RegionRow:
    line: int
    code: str
    name: str
    parent: str
    sort_order: int


@dataclass(frozen=True)
class CountryRow:
    line: int
    country: str
    region: str


def _key_line(path: Path, key: str) -> int:
    """The line of a top-level `key:` in the file (1 when absent)."""
    pattern = re.compile(rf"^{re.escape(key)}\s*:")
    with path.open(encoding="utf-8") as fh:
        for number, text in enumerate(fh, start=1):
            if pattern.match(text):
                return number
    return 1


def _items(document: dict[str, Any], key: str) -> list[tuple[int, Any]]:
    out = []
    for item in document.get(key) or []:
        line = item.pop(LINE_KEY, 0) if isinstance(item, dict) else 0
        out.append((line, item))
    return out


def validate(path: Path) -> tuple[list[RegionRow], list[CountryRow]]:
    """Parse and check the file; raise DataErrors listing every problem."""
    errors: list[DataError] = []
    name = path.name

    def err(line: int, field: str, reason: str) -> None:
        errors.append(DataError(name, line, field, reason))

    try:
        document = read_yaml(path) or {}
    except FileNotFoundError:
        raise DataErrors([DataError(name, 0, "file", "not found")]) from None
    if not isinstance(document, dict):
        raise DataErrors([DataError(name, 1, "file", "expected a mapping at the top")])
    document.pop(LINE_KEY, None)
    for key in sorted(set(document) - {"regions", "countries"}):
        err(_key_line(path, key), key, "unknown top-level key")

    regions: list[RegionRow] = []
    seen_codes: dict[str, int] = {}
    seen_names: dict[str, int] = {}
    for line, item in _items(document, "regions"):
        if not isinstance(item, dict):
            err(line, "regions", "each region must be a mapping")
            continue
        for field in sorted(set(item) - REGION_FIELDS):
            err(line, field, "unknown field")
        code = item.get("code")
        if not isinstance(code, str) or not CODE_RE.match(code):
            err(line, "code", f"{code!r} is not a lower-case code such as 'asia-pacific'")
            continue
        if code in seen_codes:
            err(line, "code", f"duplicate region '{code}' (first on line {seen_codes[code]})")
        seen_codes.setdefault(code, line)
        region_name = item.get("name")
        if not isinstance(region_name, str) or not region_name.strip():
            err(line, "name", "required")
            region_name = ""
        elif region_name in seen_names:
            err(line, "name", f"duplicate name '{region_name}' (line {seen_names[region_name]})")
        seen_names.setdefault(region_name, line)
        sort_order = item.get("sort_order", 0)
        if not isinstance(sort_order, int) or isinstance(sort_order, bool) or sort_order < 0:
            err(line, "sort_order", f"{sort_order!r} is not a non-negative integer")
            sort_order = 0
        parent = item.get("parent") or ""
        if not isinstance(parent, str):
            err(line, "parent", f"{parent!r} is not a region code")
            parent = ""
        regions.append(RegionRow(line, code, region_name, parent, sort_order))

    by_code = {r.code: r for r in regions}
    for r in regions:
        if not r.parent:
            continue
        parent = by_code.get(r.parent)
        if parent is None:
            err(r.line, "parent", f"unknown region '{r.parent}'")
        elif parent.parent:
            err(r.line, "parent", f"'{r.parent}' is itself a sub-region (two levels at most)")
        elif parent.code == r.code:
            err(r.line, "parent", "a region cannot be its own parent")

    countries: list[CountryRow] = []
    seen_countries: dict[str, int] = {}
    for line, item in _items(document, "countries"):
        if not isinstance(item, dict):
            err(line, "countries", "each row must be a mapping {country: XX, region: code}")
            continue
        for field in sorted(set(item) - COUNTRY_FIELDS):
            err(line, field, "unknown field")
        code = item.get("country")
        region = item.get("region")
        if not isinstance(code, str) or pycountry.countries.get(alpha_2=code) is None:
            err(line, "country", f"{code!r} is not an ISO 3166-1 alpha-2 country code")
            code = None
        elif code != code.upper():
            err(line, "country", f"'{code}' must be upper case")
            code = None
        elif code in seen_countries:
            err(line, "country", f"'{code}' is mapped twice (first on line {seen_countries[code]})")
            code = None
        if code:
            seen_countries[code] = line
        if region not in by_code:
            err(line, "region", f"unknown region {region!r}")
            continue
        if code:
            countries.append(CountryRow(line, code, str(region)))

    countries_line = _key_line(path, "countries")
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        if country.alpha_2 not in seen_countries:
            err(
                countries_line,
                "countries",
                f"{country.alpha_2} ({country.name}) is not mapped to a region",
            )
    if errors:
        raise DataErrors(errors)
    return regions, countries


def load(ctx: LoadContext) -> str:
    regions, countries = validate(ctx.data_dir / FILE)
    created = changed = 0
    with transaction.atomic():
        existing = {r.code: r for r in Region.objects.all()}
        # Top-level regions first, so that sub-regions find their parent.
        for row in sorted(regions, key=lambda r: (bool(r.parent), r.sort_order)):
            parent = existing[row.parent] if row.parent else None
            region = existing.get(row.code)
            wanted = {"name": row.name, "parent_id": parent.pk if parent else None}
            wanted["sort_order"] = row.sort_order
            if region is None:
                region = Region.objects.create(code=row.code, **wanted)
                audit_record(
                    actor=ctx.actor, action="region.create", target=region, after=snapshot(region)
                )
                existing[row.code] = region
                created += 1
            elif any(getattr(region, k) != v for k, v in wanted.items()):
                before = snapshot(region)
                for k, v in wanted.items():
                    setattr(region, k, v)
                region.save()
                audit_record(
                    actor=ctx.actor,
                    action="region.update",
                    target=region,
                    before=before,
                    after=snapshot(region),
                )
                changed += 1

        mapped = {str(cr.country): cr for cr in CountryRegion.objects.all()}
        set_count = 0
        for crow in countries:
            region = existing[crow.region]
            current = mapped.get(crow.country)
            if current is not None and current.region_id == region.pk:
                continue
            previous = snapshot(current) if current is not None else None
            if current is None:
                current = CountryRegion(country=crow.country, region=region)
            else:
                current.region = region
            current.save()
            audit_record(
                actor=ctx.actor,
                action="country_region.set",
                target=current,
                before=previous,
                after=snapshot(current),
            )
            set_count += 1
    return (
        f"regions: {len(regions)} regions ({created} new, {changed} changed), "
        f"{len(countries)} countries mapped ({set_count} set)"
    )
