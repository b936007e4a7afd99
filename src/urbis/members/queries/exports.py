"""Exporting organisations as CSV or XLSX (tablib): the columns an import reads, plus `state`.

An export re-imports as a no-op: values are written as the import parses them (category
and type codes, ISO alpha-2 countries, true/false). Text that a spreadsheet would run as a
formula (a focal point may write the description) is written inert: as a string cell in
XLSX, behind a leading apostrophe in CSV (which the import removes again).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any, Literal

import openpyxl
import tablib

from urbis.members.queries.registry import organisation_list, today

Format = Literal["csv", "xlsx"]

# The columns of an import file, in this order.
COLUMNS: tuple[str, ...] = (
    "name",
    "category",
    "country",
    "city",
    "official_name",
    "population",
    "population_year",
    "founding_member",
    "institution_type",
    "corporate_category",
    "employees",
    "website",
    "description",
)
EXPORT_COLUMNS: tuple[str, ...] = (*COLUMNS, "state")
CONTENT_TYPES: dict[str, str] = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


# A cell starting with one of these is a formula to a spreadsheet (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@")


def _cell(value: Any, fmt: Format) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool) and fmt == "csv":
        return "true" if value else "false"
    if fmt == "csv" and isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _formulas_as_text(data: bytes) -> bytes:
    """Turn the cells openpyxl took for formulas (text starting with '=') back into text."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    for row in book.active.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def organisations_export(
    *,
    format: Format,
    search: str = "",
    category: str = "",
    region: str = "",
    country: str = "",
    state: str = "",
    as_of: dt.date | None = None,
    members_only: bool = False,
) -> bytes:
    """The directory (same filters as `organisation_list`) as a file, `state` as of a date.

    One query: the state is an annotation of the directory's queryset.
    """
    if format not in CONTENT_TYPES:
        raise ValueError(f"Unknown export format {format!r}: use csv or xlsx.")
    on = as_of or today()
    rows = organisation_list(
        search=search,
        category=category,
        region=region,
        country=country,
        state=state,
        as_of=on,
        members_only=members_only,
    ).values_list(*COLUMNS, "state")
    dataset = tablib.Dataset(headers=list(EXPORT_COLUMNS), title=f"Organisations {on}")
    formulas = False
    for row in rows:
        dataset.append([_cell(v, format) for v in row])
        formulas = formulas or any(isinstance(v, str) and v.startswith("=") for v in row)
    if format == "csv":
        return dataset.export("csv").encode("utf-8")
    data: bytes = dataset.export("xlsx")
    return _formulas_as_text(data) if formulas else data
