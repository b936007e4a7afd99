"""Writes of the index: editions, all-or-nothing imports and computations.

Each function runs in one transaction and leaves an audit record. Imports read their file
with `common.imports.read_table`, validate every row first and write nothing if any row is
bad; `ImportFileError` lists every error as "row N: column: reason".
Grouped as `editions`, `imports` and `computation`; import them from here.
"""

from urbis.index.domain.computation import (
    index_compute,
)
from urbis.index.domain.editions import (
    edition_create,
)
from urbis.index.domain.imports import (
    COLUMNS,
    IMPORTERS,
    cities_import,
    data_import,
    indicators_import,
    survey_import,
)

__all__ = [
    "COLUMNS",
    "IMPORTERS",
    "cities_import",
    "data_import",
    "edition_create",
    "index_compute",
    "indicators_import",
    "survey_import",
]
