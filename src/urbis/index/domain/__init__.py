"""Writes of the index: editions, all-or-nothing imports and computations.

Each function runs in one transaction and leaves an audit record. Imports validate every
row first and write nothing if any row is bad; the error names the row and the field.
Grouped as `editions`, `imports` and `computation`; import them from here.
"""

from urbis.index.domain.computation import (
    index_compute,
)
from urbis.index.domain.editions import (
    edition_create,
)
from urbis.index.domain.imports import (
    IMPORTERS,
    ImportErrors,
    cities_import,
    data_import,
    indicators_import,
    read_table,
    survey_import,
)

__all__ = [
    "IMPORTERS",
    "ImportErrors",
    "cities_import",
    "data_import",
    "edition_create",
    "index_compute",
    "indicators_import",
    "read_table",
    "survey_import",
]
