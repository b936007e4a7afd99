"""The rows a validation yields, the constants of the data files, and dates as they are written."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError

from urbis.demo.yamlio import DataError
from urbis.members.domain import ORGANISATION_FIELDS
from urbis.members.models import (
    LifecycleEvent,
    Organisation,
)

ORG_DIR = "organisations"
TOP_KEYS = frozenset({"organisations", "defaults", "texts"})
ROW_KEYS = ORGANISATION_FIELDS | {"slug", "lifecycle", "contacts"}
EVENT_KEYS = frozenset({"kind", "date", "precision", "reason", "decision_ref", "letter", "note"})
CONTACT_KEYS = frozenset({"name", "position", "email", "phone", "mayoral_level", "is_focal_point"})
TEXT_FIELDS = ("name", "official_name", "city", "website", "description")
YEAR_ONLY = (7, 1)  # a date known only by its year is stored as 1 July of that year
MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
SLUG_RE = re.compile(r"^[-a-z0-9_]+$")
Report = Callable[[str, str], None]  # (field, reason) -> records an error on a row
PRECISIONS = {p.value for p in LifecycleEvent.Precision}
LETTERS = {v for v, _ in LifecycleEvent.Letter.choices}


@dataclass
class EventRow:
    line: int
    kind: str
    date: dt.date
    precision: str
    reason: str = ""
    decision_ref: str = ""
    letter: str = ""
    note: str = ""  # where the date or reason comes from: staff-only, never printed


@dataclass
class ContactRow:
    line: int
    fields: dict[str, Any]

    @property
    def key(self) -> tuple[str, str]:
        return (self.fields["name"], self.fields.get("position", ""))


@dataclass
class OrgRow:
    file: str
    line: int
    slug: str
    fields: dict[str, Any]
    events: list[EventRow] = field(default_factory=list)
    contacts: list[ContactRow] = field(default_factory=list)
    existing: Organisation | None = None

    @property
    def name(self) -> str:
        return str(self.fields.get("name", ""))

    @property
    def category(self) -> str:
        return str(self.fields.get("category", ""))


class _Collector:
    def __init__(self) -> None:
        self.errors: list[DataError] = []

    def add(self, file: str, line: int, field_name: str, reason: str) -> None:
        self.errors.append(DataError(file, line, field_name, reason))


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def parse_date(value: Any) -> tuple[dt.date, str] | None:
    """(date, precision) for 2023-09-26, '2012-11' or 2014; None when it is not a date."""
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value, LifecycleEvent.Precision.DAY.value
    if _is_int(value) and 1900 <= value <= 2100:
        return dt.date(value, *YEAR_ONLY), LifecycleEvent.Precision.YEAR.value
    if isinstance(value, str):
        match = MONTH_RE.match(value)
        if match and 1900 <= int(match[1]) <= 2100 and 1 <= int(match[2]) <= 12:
            return dt.date(int(match[1]), int(match[2]), 1), LifecycleEvent.Precision.MONTH.value
    return None


def model_errors(exc: ValidationError) -> list[tuple[str, str]]:
    if hasattr(exc, "error_dict"):
        return [
            (name, "; ".join(str(m) for e in errs for m in e.messages))
            for name, errs in exc.error_dict.items()
        ]
    return [("row", "; ".join(exc.messages))]
