"""Exporting organisations as CSV or XLSX (tablib): the columns an import reads, plus `state`.

An export re-imports as a no-op: values are written as the import parses them (category
and type codes, ISO alpha-2 countries, true/false). Text that a spreadsheet would run as a
formula (a focal point may write the description) is written inert by
`urbis.common.exports` (the import removes the CSV guard again).
"""

from __future__ import annotations

import datetime as dt

from urbis.common.exports import CONTENT_TYPES, Format, table_bytes
from urbis.members.queries.registry import organisation_list, today

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
__all__ = ["COLUMNS", "CONTENT_TYPES", "EXPORT_COLUMNS", "Format", "organisations_export"]


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
    return table_bytes(format, EXPORT_COLUMNS, rows, title=f"Organisations {on}")
