"""Validation of the organisation files: every row checked, every error collected.

`validate(data_dir)` returns the rows to write, each matched with the organisation already in
the database (by slug, then by name), or raises `DataErrors` naming `file:line: field`.
The lifecycle of each organisation is folded as the domain will fold it after loading
(existing events plus the new ones), so that a forbidden transition is reported here and
not half-way through the writes.
"""

from pathlib import Path

from urbis.demo.loaders.members.validate.cross import _CrossChecks
from urbis.demo.loaders.members.validate.history import _HistoryChecks
from urbis.demo.loaders.members.validate.profile import _ProfileChecks
from urbis.demo.loaders.members.validate.rows import (
    ContactRow,
    EventRow,
    OrgRow,
    model_errors,
    parse_date,
)
from urbis.demo.yamlio import DataErrors

__all__ = ["ContactRow", "EventRow", "OrgRow", "model_errors", "parse_date", "validate"]


class _Validator(_ProfileChecks, _HistoryChecks, _CrossChecks):
    """Turns the YAML rows into OrgRows, collecting every error on the way."""


def validate(data_dir: Path) -> list[OrgRow]:
    """Every organisation row of the data set; raises DataErrors listing every problem."""
    validator = _Validator(data_dir)
    rows: list[OrgRow] = []
    for path in validator.files():
        rows.extend(validator.read(path))
    validator.cross_check(rows)
    if validator.out.errors:
        raise DataErrors(validator.out.errors)
    return rows
