"""Every CSV and XLSX file the project writes goes through here, so that no cell a user typed
runs as a formula in the spreadsheet that opens it (OWASP "CSV injection").

A text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula (or
becomes one after the spreadsheet trims it) to Excel, LibreOffice and Google Sheets.
Such text is written inert and still readable:

- in CSV, behind a leading apostrophe (`'=HYPERLINK(...)`), the convention spreadsheets
  display as text; importers of this project remove it again (`unguard`);
- in XLSX, as an explicit string cell with the "quote prefix" style: the text is shown
  exactly as typed and is never evaluated.

Numbers stay numbers (a negative amount is not a formula), and text that is only a number
(`-12.5`) stays as it is.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

import openpyxl
from openpyxl.cell.cell import Cell

Format = Literal["csv", "xlsx"]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPES: dict[str, str] = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?(?:[eE][+-]?\d+)?")
_XLSX_MAX_TEXT = 32767  # the longest text an XLSX cell holds


def is_formula(value: object) -> bool:
    """True for text a spreadsheet would evaluate (or evaluate once trimmed)."""
    return (
        isinstance(value, str)
        and value.startswith(FORMULA_PREFIXES)
        and _NUMBER.fullmatch(value) is None
    )


def csv_cell(value: Any) -> Any:
    """A value as a CSV writer should receive it: formulas behind an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if is_formula(value):
        return "'" + value
    return value


def unguard(text: str) -> str:
    """The text an export guarded, as typed: what an importer reads back."""
    if text.startswith("'") and is_formula(text[1:]):
        return text[1:]
    return text


def csv_bytes(
    headers: Sequence[str], rows: Iterable[Sequence[Any]], *, preamble: Sequence[Sequence[str]] = ()
) -> bytes:
    """A CSV file in UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out)
    for line in preamble:
        writer.writerow([csv_cell(v) for v in line])
    writer.writerow([csv_cell(v) for v in headers])
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return out.getvalue().encode("utf-8")


def _xlsx_value(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool | int | float | Decimal | dt.date | dt.datetime):
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            return value.replace(tzinfo=None)  # XLSX has no time zones: naive UTC
        return value
    return str(value)[:_XLSX_MAX_TEXT]


def _set(cell: Cell, value: Any) -> None:
    cell.value = _xlsx_value(value)
    if isinstance(cell.value, str):
        # openpyxl takes text starting with "=" for a formula: say it is a string, and
        # mark the cell "quote prefixed" so a spreadsheet keeps it text when edited.
        cell.data_type = "s"
        if is_formula(cell.value):
            cell.quotePrefix = True


def xlsx_bytes(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    title: str = "Sheet",
    preamble: Sequence[Sequence[str]] = (),
) -> bytes:
    """An XLSX workbook of one sheet, every text cell a string cell."""
    return xlsx_book_bytes([Sheet(title, headers, rows, preamble)])


@dataclass(frozen=True)
class Sheet:
    """One sheet of a workbook: the `preamble` lines, the header line, then the rows."""

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Any]]
    preamble: Sequence[Sequence[str]] = ()


def xlsx_book_bytes(sheets: Sequence[Sheet]) -> bytes:
    """An XLSX workbook of several sheets, in order, every text cell a string cell."""
    book = openpyxl.Workbook(write_only=False)
    book.remove(book.active)
    for part in sheets or [Sheet("Sheet", (), ())]:
        # Sheet titles cannot hold []:*?/\ and are at most 31 characters.
        sheet = book.create_sheet(re.sub(r"[\[\]:*?/\\]", " ", part.title)[:31] or "Sheet")
        for r, line in enumerate([*part.preamble, part.headers, *part.rows], start=1):
            for c, value in enumerate(line, start=1):
                _set(sheet.cell(row=r, column=c), value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def table_bytes(
    fmt: Format,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    title: str = "Sheet",
    preamble: Sequence[Sequence[str]] = (),
) -> bytes:
    """A table as CSV or XLSX, formulas neutralised."""
    if fmt == "csv":
        return csv_bytes(headers, rows, preamble=preamble)
    if fmt == "xlsx":
        return xlsx_bytes(headers, rows, title=title, preamble=preamble)
    raise ValueError(f"Unknown export format {fmt!r}: use csv or xlsx.")
