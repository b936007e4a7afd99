"""The import reader: a CSV or XLSX file as rows of text keyed by column, with the row number a
person sees in a spreadsheet, and one error type, "row N: column: reason".

Every import (members, payments, index data) reads its file here and then parses its own
columns. What the reader settles once for all of them:

- the size: an upload is read up to one byte past the limit (`upload_read`), so that a file
  too large is one error without holding all of it, whichever import it is sent to;
- the format, from the file name (`.csv`, `.xlsx`), and a file that cannot be read as it
  (not UTF-8, a corrupt workbook) as one error, not a 500;
- row numbers that match the file: the header is row 1, a CSV record spanning lines is
  numbered by its first line, blank rows are skipped but keep their number;
- headers: "Official name", "OFFICIAL-NAME" and "official_name" name one column; a column
  that appears twice, values under no header, missing required and unknown columns are
  errors of row 1;
- cells: stripped text ('' for empty); a NUL character is an error of its cell (PostgreSQL
  cannot store it, SQLite would), and the row is left out;
- countries: `country_code` takes an ISO 3166 alpha-2 or alpha-3 code or an English name.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal, Protocol

import pycountry
from django.conf import settings
from django_countries import countries

Format = Literal["csv", "xlsx"]
FORMATS: tuple[Format, ...] = ("csv", "xlsx")
MAX_COLUMNS = 200  # more is not a table a person typed


@dataclass(frozen=True)
class RowError:
    """One problem in an import file; `row` is None when it concerns the whole file."""

    row: int | None
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row is not None else "file"
        return f"{where}: {self.column}: {self.reason}"

    @property
    def order(self) -> tuple[int, str]:
        """For sorting: file errors first, then by row."""
        return (self.row if self.row is not None else 0, self.column)


class ImportFileError(ValueError):
    """The errors that stop a whole import: nothing is written. `str()` has one per line,
    file errors first, then by row; a row's errors keep the order they were found in (its
    columns' order, as the import checks them)."""

    def __init__(self, errors: Iterable[RowError]) -> None:
        self.errors = sorted(errors, key=lambda e: e.order[0])
        super().__init__("\n".join(str(e) for e in self.errors))


@dataclass(frozen=True)
class Row:
    """One data row: its number in the file and its cells by column key ('' when empty)."""

    number: int
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values.get(column, "")

    def error(self, column: str, reason: str) -> RowError:
        return RowError(self.number, column, reason)


@dataclass
class Table:
    """A file's rows and what was wrong with it; `rows` leaves out rows with a NUL."""

    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def raise_errors(self) -> None:
        """ImportFileError with every error found so far, if there is one."""
        if self.errors:
            raise ImportFileError(self.errors)


def column_key(header: object) -> str:
    """'Official name', ' OFFICIAL-NAME ' and 'official_name' all name one column."""
    return re.sub(r"[\s\-]+", "_", cell_text(header).casefold())


def cell_text(value: object) -> str:
    """A cell as stripped text: numbers as written ('12', not '12.0', for a whole float
    from a workbook), dates as YYYY-MM-DD, empty cells as ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value).strip()


def file_format(name: str) -> Format | None:
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return suffix if suffix in FORMATS else None  # type: ignore[return-value]


def _csv_records(data: bytes) -> Iterator[tuple[int, list[str]]]:
    """(line of its first line, cells) of each CSV record."""
    text = data.decode("utf-8-sig")  # UnicodeDecodeError: the caller words it
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    for record in reader:
        yield start, record
        start = reader.line_num + 1


def _xlsx_records(data: bytes) -> Iterator[tuple[int, list[object]]]:
    """(sheet row, cells) of each row of the workbook's first sheet."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(cells)
    finally:
        workbook.close()


def _records(data: bytes, fmt: Format) -> Iterator[tuple[int, list[Any]]]:
    return _csv_records(data) if fmt == "csv" else _xlsx_records(data)


class Upload(Protocol):
    """What `upload_read` needs of an uploaded file (Django's and django-ninja's both)."""

    name: str | None

    def read(self, size: int = ..., /) -> bytes: ...


def upload_read(upload: Upload, *, default_name: str) -> tuple[str, bytes]:
    """The name and the bytes of an uploaded file, read at most one byte past
    URBIS_MAX_IMPORT_BYTES: enough for `read_table` to tell that the file is too large,
    without holding a file of any size in memory."""
    return upload.name or default_name, upload.read(settings.URBIS_MAX_IMPORT_BYTES + 1)


def read_table(
    data: bytes,
    *,
    name: str,
    required: Iterable[str],
    optional: Iterable[str] = (),
    ignored: Iterable[str] = (),
    max_rows: int | None = None,
    max_bytes: int | None = None,
) -> Table:
    """The rows of `data` (a file called `name`), with its header checked against the columns
    an import knows: `required` ones must be there, `optional` ones may, `ignored` ones are
    read and dropped (e.g. an export's read-only columns); any other column is an error.

    Nothing is raised for a bad file: the errors are in `Table.errors` (call
    `raise_errors()`), so that a dry run can show every one of them. A file larger than
    `max_bytes` (URBIS_MAX_IMPORT_BYTES unless the import sets its own) is not read.
    """
    limit = settings.URBIS_MAX_IMPORT_BYTES if max_bytes is None else max_bytes
    if len(data) > limit:
        return Table(
            [], errors=[RowError(None, "size", f"larger than the limit of {limit:,} bytes")]
        )
    required = [column_key(c) for c in required]
    known = set(required) | {column_key(c) for c in optional}
    dropped = {column_key(c) for c in ignored}
    fmt = file_format(name)
    if fmt is None:
        return Table([], errors=[RowError(None, "format", "expected a .csv or .xlsx file")])
    table = Table([])
    records = _records(data, fmt)
    try:
        header = next(records, None)
        if header is None:
            table.errors.append(RowError(None, "header", "the file is empty"))
            return table
        keys = _header(header[1], known, dropped, required, table)
        for number, cells in records:
            if max_rows is not None and len(table.rows) >= max_rows:
                table.errors.append(RowError(number, "rows", f"at most {max_rows} rows"))
                break
            _row(number, cells, keys, table)
    except UnicodeDecodeError as exc:
        table.errors.append(
            RowError(None, "encoding", f"the file is not UTF-8 text (byte {exc.start + 1})")
        )
    except csv.Error as exc:
        table.errors.append(RowError(None, "format", f"not a readable CSV file ({exc})"))
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        table.errors.append(RowError(None, "format", f"not a readable XLSX file ({exc})"))
    return table


def _header(
    cells: list[Any], known: set[str], dropped: set[str], required: list[str], table: Table
) -> list[str | None]:
    """The column key of each position: '' for a column read and dropped, None for one
    without a header (a value under it is an error)."""
    keys: list[str | None] = []
    seen: set[str] = set()
    unknown: list[str] = []
    if len(cells) > MAX_COLUMNS:
        table.errors.append(RowError(1, "columns", f"at most {MAX_COLUMNS} columns"))
        cells = cells[:MAX_COLUMNS]
    for cell in cells:
        key = column_key(cell)
        if "\x00" in key:
            table.errors.append(RowError(1, "header", "contains a NUL character"))
            key = ""
        elif key in seen:
            table.errors.append(RowError(1, key, "the column appears twice"))
            key = ""
        elif key and key not in known and key not in dropped:
            unknown.append(cell_text(cell))
        if key:
            seen.add(key)
        keys.append(None if not cell_text(cell) else key if key in known else "")
    if unknown:
        expected = ", ".join(sorted(known))
        table.errors.append(
            RowError(1, "columns", f"unknown column(s): {', '.join(unknown)} (known: {expected})")
        )
    for key in required:
        if key not in seen:
            table.errors.append(RowError(1, key, "required column is missing"))
    table.columns = [k for k in keys if k]
    return keys


def _row(number: int, cells: list[Any], keys: list[str | None], table: Table) -> None:
    texts = [cell_text(c) for c in cells]
    if not any(texts):
        return  # a blank row: skipped, its number kept by the next one
    if len(texts) > len(keys) and not any(texts[len(keys) :]):
        # Wider than the header with nothing in the extra cells (a value there is an error
        # of its cell, below): a stray separator such as a trailing comma. A workbook's rows
        # are never wider than its header row.
        table.errors.append(
            RowError(number, "columns", f"more cells than the header's {len(keys)} columns")
        )
        return
    values: dict[str, str] = {}
    nul = False
    for position, text in enumerate(texts):
        key = keys[position] if position < len(keys) else None
        where = key or f"column {position + 1}"
        if "\x00" in text:
            table.errors.append(RowError(number, where, "contains a NUL character"))
            nul = True
        elif key is None and text:
            table.errors.append(RowError(number, where, "a value under no header"))
        elif key:
            values[key] = text
    for key in keys:
        if key and key not in values:
            values[key] = ""  # a short row: its missing cells are empty
    if not nul:
        table.rows.append(Row(number, values))


def country_code(value: object) -> str:
    """An ISO 3166-1 alpha-2 code from an alpha-2 or alpha-3 code or an English country name
    (any case); '' for a blank value; ValueError (its message says what to write) otherwise."""
    text = cell_text(value)
    if not text:
        return ""
    if len(text) <= 3:
        code = countries.alpha2(text.upper())
        if code:
            return str(code)
    by_name = countries.by_name(text)
    if isinstance(by_name, str) and by_name:
        return by_name
    try:
        found = pycountry.countries.lookup(text).alpha_2
    except LookupError:
        found = ""
    if found and countries.alpha2(found):
        return str(found)
    raise ValueError(
        f"unknown country '{text}' (use an ISO 3166 code such as KR or KOR, or an English name)"
    )
