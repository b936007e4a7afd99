"""Membership fees as pure functions over fee schedules (no ORM).

Fee schedules are statute data (Annex 3 of the statutes as amended by the 6th General
Assembly, 2023): a schedule has an effective date and one *table* per member category and
type, each table a list of *bands* over one criterion — the GDP per capita (PPP, USD) of
the member's country, the number of employees (worldwide, for corporations), or a flat fee.

The fiscal year runs from 1 January to 31 December (Art. 19); the fee for a fiscal year is
taken from the schedule in force on 1 January of that year.

A band covers whole numbers from `lower` to `upper` inclusive (`upper=None`: no upper
limit), as the statute's tables write them. Criterion values are whole numbers: employees
are counted, GDP per capita is taken in whole US dollars (fractions dropped), so a valid
table maps every value from `covers_from` upwards to exactly one band.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

WILDCARD = "*"
EN_DASH = "\u2013"  # between the bounds of a band, as the statute prints them
# Appended to the explanation of a fee from an example schedule: for staff, never for members.
EXAMPLE_NOTE = "[example schedule, not statute text]"


class Criterion(StrEnum):
    GDP_PPP = "gdp_ppp"  # GDP per capita (PPP, current international USD) of the country
    EMPLOYEES = "employees"  # number of employees (worldwide for corporations)
    FLAT = "flat"  # one fee for the whole table


CRITERION_LABEL = {
    Criterion.GDP_PPP: "GDP per capita (PPP, USD)",
    Criterion.EMPLOYEES: "employees",
    Criterion.FLAT: "flat fee",
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


@dataclass(frozen=True)
class Fee:
    amount: Decimal
    currency: str
    fiscal_year: int
    schedule_code: str
    schedule_title: str
    effective_from: dt.date
    table: str
    criterion: Criterion
    value: int | None
    band: int
    band_label: str
    example: bool
    value_note: str = ""
    value_year: int | None = None  # the year of the GDP figure, when the criterion is GDP
    value_source: str = ""  # where the GDP figure comes from

    @property
    def explanation(self) -> str:
        """The member-facing explanation plus, for an example schedule, the note that it is
        not statute text (what staff, the API and the stored invoice keep)."""
        if self.example:
            return f"{self.member_explanation} {EXAMPLE_NOTE}"
        return self.member_explanation

    @property
    def member_explanation(self) -> str:
        """E.g. 'corporation/sme, 300-499 employees → USD 2,500: schedule ... band 3'; what a
        member reads, without the staff-only note on example schedules."""
        if self.criterion == Criterion.FLAT:
            what = f"{self.table}, flat fee"
        elif self.criterion == Criterion.EMPLOYEES:
            what = f"{self.table}, {self.value:,} employees (band {self.band_label})"
        else:
            what = f"{self.table}, GDP per capita (PPP) USD {self.value:,} (band {self.band_label})"
        text = (
            f"{what} → {self.currency} {self.amount:,.0f}: schedule '{self.schedule_title}' "
            f"in force on 1 Jan {self.fiscal_year} (effective {self.effective_from:%d %b %Y}), "
            f"band {self.band}"
        )
        if self.value_note:
            text += f"; {self.value_note}"
        return text


def compute_fee(
    schedules: Iterable[Schedule],
    *,
    fiscal_year: int,
    category: str,
    subtype: str = "",
    employees: int | None = None,
    gdp_ppp: int | None = None,
    gdp_note: str = "",
    gdp_year: int | None = None,
    gdp_source: str = "",
) -> Fee:
    """The fee of a member for a fiscal year, with what decided it (Annex 3, Art. 19)."""
    found = schedule_in_force(
        schedules, fiscal_year=fiscal_year, category=category, subtype=subtype
    )
    kind = f"{category}/{subtype}" if subtype else category
    if found is None:
        raise FeeError(f"no fee schedule in force on 1 Jan {fiscal_year} covers {kind}")
    schedule, table = found
    value: int | None
    note = ""
    if table.criterion == Criterion.EMPLOYEES:
        if employees is None:
            raise FeeError(f"{kind}: the number of employees is not recorded")
        value = employees
    elif table.criterion == Criterion.GDP_PPP:
        if gdp_ppp is None:
            raise FeeError(f"{kind}: no GDP per capita (PPP) for the member's country")
        value, note = gdp_ppp, gdp_note
    else:
        value = None
    number, band = band_for(table, table.covers_from if value is None else value)
    return Fee(
        amount=band.amount,
        currency=schedule.currency,
        fiscal_year=fiscal_year,
        schedule_code=schedule.code,
        schedule_title=schedule.title,
        effective_from=schedule.effective_from,
        table=table.key,
        criterion=table.criterion,
        value=value,
        band=number,
        band_label=band.label,
        example=schedule.example,
        value_note=note,
        value_year=gdp_year if table.criterion == Criterion.GDP_PPP else None,
        value_source=gdp_source if table.criterion == Criterion.GDP_PPP else "",
    )


def _band_words(fee: Fee, unit: str) -> str:
    """'300 to 499', '2,000 or more' from a band label such as '300-499' or '2,000+'."""
    label = fee.band_label.replace(",", "")
    if label.endswith("+"):
        return f"{unit}{int(label[:-1]):,} or more"
    low, _, high = label.partition(EN_DASH)
    return f"{unit}{int(low):,} to {unit}{int(high):,}"


def fee_in_words(fee: Fee, *, member_kind: str, country_name: str = "") -> str:
    """The fee explained in a member's words, without internal codes (Annex 3, Art. 19):
    what kind of member, the figure that decides the band, the band, the schedule and the
    date it is in force, and the amount. `member_kind` is e.g. 'Corporation (Start-up)'."""
    amount = f"{fee.currency} {fee.amount:,.2f}"
    schedule = (
        f"the fee schedule \u201c{fee.schedule_title}\u201d in force on 1 January {fee.fiscal_year}"
    )
    if fee.criterion == Criterion.EMPLOYEES:
        decides = (
            f"with {fee.value:,} employees, it falls in the band of "
            f"{_band_words(fee, '')} employees"
        )
    elif fee.criterion == Criterion.GDP_PPP:
        where = f"of {country_name}" if country_name else "of its country"
        year = f" in {fee.value_year}" if fee.value_year else ""
        source = f" (source: {fee.value_source})" if fee.value_source else ""
        decides = (
            f"the GDP per capita (PPP) {where} was USD {fee.value:,}{year}{source}, "
            f"in the band of {_band_words(fee, 'USD ')}"
        )
    else:
        decides = "the fee is the same for every member of this kind"
    text = f"{member_kind}: {decides}. Under {schedule}, the annual fee is {amount}."
    if fee.example:
        text += (
            " The statutes do not yet print this table; the fee follows a provisional table "
            "adopted by the secretariat."
        )
    return text


# --- reading schedules from plain data (YAML documents, JSON stored in the database) ---


def _int(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{where}: expected a whole number, got {value!r}")
    return value


def band_from_data(data: Mapping[str, Any], where: str) -> Band:
    """A band written as `{range: "300-499", fee: 2500}` or `{range: "2000+", fee: 8000}`."""
    text = str(data.get("range", "")).replace(",", "").replace(" ", "").replace(EN_DASH, "-")
    try:
        if text.endswith("+"):
            lower, upper = int(text[:-1]), None
        else:
            lo, hi = text.split("-")
            lower, upper = int(lo), int(hi)
        amount = Decimal(str(data["fee"])).quantize(Decimal("0.01"))
    except (ValueError, KeyError, ArithmeticError) as exc:
        raise ValueError(f"{where}: a band needs range 'LO-HI' or 'LO+' and a fee") from exc
    return Band(lower=lower, upper=upper, amount=amount)


def table_from_data(data: Mapping[str, Any], where: str) -> Table:
    try:
        criterion = Criterion(data.get("criterion", ""))
    except ValueError as exc:
        allowed = ", ".join(c.value for c in Criterion)
        raise ValueError(f"{where}: criterion must be one of {allowed}") from exc
    bands = tuple(
        band_from_data(b, f"{where} band {n}") for n, b in enumerate(data.get("bands") or [], 1)
    )
    return Table(
        category=str(data.get("category", "")),
        subtype=str(data.get("type", "")),
        criterion=criterion,
        bands=bands,
        covers_from=_int(data.get("covers_from", 0), f"{where} covers_from"),
        note=str(data.get("note", "")),
    )


def schedule_from_data(data: Mapping[str, Any]) -> Schedule:
    """Build and validate a schedule from its data form; raises ValueError/ScheduleError."""
    code = str(data.get("code", ""))
    effective = data.get("effective_from")
    if isinstance(effective, str):
        effective = dt.date.fromisoformat(effective)
    if not code or not isinstance(effective, dt.date):
        raise ValueError(f"schedule '{code}': code and effective_from (a date) are required")
    tables = tuple(
        table_from_data(t, f"schedule '{code}' table {n}")
        for n, t in enumerate(data.get("tables") or [], 1)
    )
    schedule = Schedule(
        code=code,
        title=str(data.get("title", code)),
        effective_from=effective,
        tables=tables,
        currency=str(data.get("currency", "USD")),
        source=str(data.get("source", "")),
        example=bool(data.get("example", False)),
        choices=tuple(str(c) for c in data.get("choices") or []),
    )
    return validate_schedule(schedule)


def schedule_to_data(schedule: Schedule) -> dict[str, Any]:
    """The JSON-ready form of a schedule's tables (inverse of `table_from_data`)."""
    return {
        "tables": [
            {
                "category": t.category,
                "type": t.subtype,
                "criterion": t.criterion.value,
                "covers_from": t.covers_from,
                "note": t.note,
                "bands": [{"range": b.label, "fee": str(b.amount)} for b in t.bands],
            }
            for t in schedule.tables
        ]
    }
