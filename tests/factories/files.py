"""Files as an upload brings them: an XLSX workbook of given rows."""

from __future__ import annotations

import io

from openpyxl import Workbook


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    """A workbook whose first sheet holds `rows` from row 1 (an empty list: a blank row)."""
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
