"""Set-based reads and writes for large editions: integer result sets straight into NumPy
arrays, and many rows inserted at once (COPY on PostgreSQL, one executemany elsewhere).

Used where an edition's rounds move tens of thousands of rows (assignments, conflicts,
scores); everything else goes through the ORM.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db import connection

IntMatrix = npt.NDArray[np.int64]


def fetch_ints(columns: Sequence[str], rest: str, *, order_by: str = "") -> IntMatrix:
    """`SELECT columns rest [ORDER BY order_by]` (integer columns, no NULLs, no
    parameters: callers format only integers into `rest`) as an (n x len(columns)) int64
    array.

    On PostgreSQL the database packs the whole result into one bytea of big-endian int64s
    (`string_agg` of `int8send`), decoded by one `frombuffer`: no Python object per row.
    """
    ncols = len(columns)
    order = f" ORDER BY {order_by}" if order_by else ""
    if connection.vendor == "postgresql":
        packed = " || ".join(f"int8send(CAST({c} AS BIGINT))" for c in columns)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT string_agg({packed}, ''::bytea{order}) {rest}")
            (data,) = cursor.fetchone()
        if not data:
            return np.zeros((0, ncols), dtype=np.int64)
        flat = np.frombuffer(bytes(data), dtype=">i8").astype(np.int64)
        return flat.reshape(-1, ncols)
    select = ", ".join(f"CAST({c} AS BIGINT)" for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {select} {rest}{order}")
        rows = cursor.fetchall()
    return np.array(rows, dtype=np.int64).reshape(-1, ncols)


def insert_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert rows into `table` (no model logic, no signals): COPY on PostgreSQL."""
    count = 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        return count
    batch = [tuple(r) for r in rows]
    placeholders = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", batch
        )
    return len(batch)
