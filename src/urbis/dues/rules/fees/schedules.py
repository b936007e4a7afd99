"""Fee schedules, their tables and bands (Annex 3): what a valid schedule is, which one is in
force on a date, and the fiscal year (Art. 19)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

WILDCARD = "*"
EN_DASH = "\u2013"  # between the bounds of a band, as the statute prints them
# Appended to the explanation of a fee from an example schedule: for staff, never for members.
EXAMPLE_NOTE = "[example schedule, not statute text]"


class Criterion(StrEnum):
    GDP_PPP = "gdp_ppp"  # GDP per capita (PPP, current international USD) of the country
    EMPLOYEES = "employees"  # number of employees (worldwide for corporations)
    FLAT = "flat"  # one fee for the whole table


CRITERION_LABEL: dict[str, str | Promise] = {
    Criterion.GDP_PPP: _("GDP per capita (PPP, USD)"),
    Criterion.EMPLOYEES: _("employees"),
    Criterion.FLAT: _("flat fee"),
}


@dataclass(frozen=True)
class Band:
    lower: int
    upper: int | None  # inclusive; None = and above
    amount: Decimal

    def contains(self, value: int) -> bool:
        return self.lower <= value and (self.upper is None or value <= self.upper)

    @property
    def label(self) -> str:
        if self.upper is None:
            return f"{self.lower:,}+"
        return f"{self.lower:,}{EN_DASH}{self.upper:,}"


@dataclass(frozen=True)
class Table:
    """The bands of one member category (and type, or `*` for every type)."""

    category: str
    subtype: str
    criterion: Criterion
    bands: tuple[Band, ...]
    covers_from: int = 0
    note: str = ""

    @property
    def key(self) -> str:
        return f"{self.category}/{self.subtype}" if self.subtype else self.category

    def matches(self, category: str, subtype: str) -> bool:
        return self.category == category and self.subtype in (subtype or WILDCARD, WILDCARD)


@dataclass(frozen=True)
class Schedule:
    code: str
    title: str
    effective_from: dt.date
    tables: tuple[Table, ...]
    currency: str = "USD"
    source: str = ""
    example: bool = False  # an illustrative schedule, not statute text
    choices: tuple[str, ...] = field(default_factory=tuple)


class ScheduleError(ValueError):
    """A schedule that does not map every value to exactly one band; lists every defect."""

    def __init__(self, code: str, errors: list[str]) -> None:
        self.code, self.errors = code, errors
        super().__init__(f"fee schedule '{code}': " + "; ".join(errors))


class FeeError(ValueError):
    """The fee of a member cannot be computed (no schedule, missing attribute)."""


def fiscal_year_bounds(year: int) -> tuple[dt.date, dt.date]:
    """The fiscal year runs from 1 January to 31 December (Art. 19)."""
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def fiscal_year_of(day: dt.date) -> int:
    """The fiscal year a date falls in (Art. 19: calendar years)."""
    return day.year


def _span(lo: int, hi: int | None) -> str:
    if hi is None:
        return f"{lo:,} and above"
    return f"{lo:,}" if lo == hi else f"{lo:,}{EN_DASH}{hi:,}"


def table_errors(table: Table) -> list[str]:
    """Every gap, overlap and malformed band of a table (Annex 3), as readable messages."""
    name = f"{table.key}: {CRITERION_LABEL[table.criterion]}"
    errors: list[str] = []
    if not table.bands:
        return [f"{table.key}: no band"]
    for n, band in enumerate(table.bands, start=1):
        if band.upper is not None and band.upper < band.lower:
            errors.append(f"{table.key}: band {n} ends ({band.upper:,}) before it starts")
        if band.amount <= 0:
            errors.append(f"{table.key}: band {n} has a fee of {band.amount}, not positive")
    if errors:
        return errors
    if table.criterion == Criterion.FLAT and len(table.bands) != 1:
        return [f"{table.key}: a flat fee has exactly one band, not {len(table.bands)}"]
    order = sorted(range(len(table.bands)), key=lambda i: table.bands[i].lower)
    expected = table.covers_from  # the next value that must be covered
    previous: int | None = None  # index of the band covering up to expected - 1
    for i in order:
        band = table.bands[i]
        if expected is None:  # an earlier band is open-ended
            errors.append(
                f"{name} {_span(band.lower, band.upper)} covered twice "
                f"(bands {(previous or 0) + 1} and {i + 1})"
            )
            continue
        if band.lower > expected:
            errors.append(f"{name} {_span(expected, band.lower - 1)} not covered")
        elif band.lower < expected:
            if band.lower < table.covers_from and previous is None:
                errors.append(
                    f"{table.key}: band {i + 1} starts at {band.lower:,}, "
                    f"below the table's start {table.covers_from:,}"
                )
            else:
                top = expected - 1 if band.upper is None else min(band.upper, expected - 1)
                errors.append(
                    f"{name} {_span(band.lower, top)} covered twice "
                    f"(bands {(previous or 0) + 1} and {i + 1})"
                )
        expected = None if band.upper is None else max(expected, band.upper + 1)  # type: ignore[assignment]
        previous = i
    if expected is not None:
        errors.append(f"{name} {_span(expected, None)} not covered")
    return errors


def validate_schedule(schedule: Schedule) -> Schedule:
    """Reject a schedule with a gap, an overlap or two tables for the same members."""
    errors: list[str] = []
    seen: set[str] = set()
    for table in schedule.tables:
        if table.key in seen:
            errors.append(f"{table.key}: two tables")
        seen.add(table.key)
        errors.extend(table_errors(table))
    if errors:
        raise ScheduleError(schedule.code, errors)
    return schedule


def band_for(table: Table, value: int) -> tuple[int, Band]:
    """(1-based band number, band) for a value of the table's criterion."""
    hits = [(n, b) for n, b in enumerate(table.bands, start=1) if b.contains(value)]
    if len(hits) != 1:
        raise FeeError(f"{table.key}: {value:,} falls in {len(hits)} bands")
    return hits[0]


def table_for(schedule: Schedule, category: str, subtype: str) -> Table | None:
    """The table of a schedule for a member; a table for its own type beats a `*` table."""
    tables = [t for t in schedule.tables if t.matches(category, subtype)]
    tables.sort(key=lambda t: t.subtype == WILDCARD)
    return tables[0] if tables else None


def schedule_in_force(
    schedules: Iterable[Schedule], *, fiscal_year: int, category: str, subtype: str
) -> tuple[Schedule, Table] | None:
    """The latest schedule effective on 1 January of the fiscal year (Art. 19) that has a
    table for this kind of member (an amendment may cover only some categories)."""
    start, _ = fiscal_year_bounds(fiscal_year)
    found: tuple[Schedule, Table] | None = None
    for schedule in sorted(schedules, key=lambda s: s.effective_from):
        if schedule.effective_from > start:
            break
        table = table_for(schedule, category, subtype)
        if table is not None:
            found = (schedule, table)
    return found
