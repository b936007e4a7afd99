"""Reading schedules from plain data (YAML documents, JSON stored in the database) and back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from urbis.dues.rules.fees.schedules import (
    EN_DASH,
    Band,
    Criterion,
    Schedule,
    Table,
    validate_schedule,
)

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
