"""Importing organisations from a CSV or XLSX file: all rows are checked, then all are written.

Files are read by `common.imports.read_table` (row numbers as a spreadsheet shows them, the
header being row 1; NUL and encoding refused there; countries by `country_code`). Every row
is validated before anything is written; if any row is bad, nothing is written and every
error is returned as a `RowError`, `row N: column: reason`. The organisations the rows name
are read in one query before the rows are matched, whatever their number. A good file is
written in one transaction, matching existing organisations by name or slug: identical rows
change nothing, changed rows go through `organisation_update`, new rows through
`organisation_create` (both audited).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.text import slugify

from urbis.common.actor import Actor
from urbis.common.exports import unguard
from urbis.common.imports import RowError, country_code, read_table
from urbis.members.domain.registry import organisation_create, organisation_update
from urbis.members.models import Category, CorporateCategory, InstitutionType, Organisation
from urbis.members.queries.exports import COLUMNS, Format

FORMATS: tuple[Format, ...] = ("csv", "xlsx")
REQUIRED_COLUMNS = frozenset({"name", "category"})
# Written by an export, accepted and ignored by an import: the state comes from the
# lifecycle log, never from a file.
READ_ONLY_COLUMNS = frozenset({"state"})

TRUE_WORDS = frozenset({"true", "yes", "y", "1", "x"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", ""})
_THOUSANDS = re.compile(r"^\d{1,3}([,\s_]\d{3})+$")

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class RowPlan:
    """What the import does (or would do, in a dry run) with one row."""

    row: int
    name: str
    action: Literal["create", "update", "unchanged"]
    changed: tuple[str, ...] = ()


@dataclass
class ImportResult:
    dry_run: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    rows: list[RowPlan] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def error_lines(self) -> list[str]:
        return [str(e) for e in self.errors]


class _RowInvalid(Exception):
    """Raised inside the write transaction to roll it back."""

    def __init__(self, error: RowError) -> None:
        self.error = error


# --- reading cells ---------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    # An export's guard against spreadsheet formulas is removed: the text as typed.
    return unguard(str(value).strip())


def _whole_number(value: Any) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError("must be a whole number")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"'{value}' is not a whole number")
        number = int(value)
    else:
        text = str(value).strip()
        if _THOUSANDS.match(text):
            text = re.sub(r"[,\s_]", "", text)
        if not text.removeprefix("-").isdigit():
            raise ValueError(f"'{text}' is not a whole number")
        number = int(text)
    if number < 0:
        raise ValueError("must not be negative")
    return number


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ValueError(f"'{_text(value)}' is not yes/no (use true or false)")


def _choice(value: Any, choices: list[tuple[str, Any]], *, blank: bool) -> str:
    text = _text(value)
    if not text:
        if blank:
            return ""
        raise ValueError("is required")
    wanted = text.casefold().replace("-", "_").replace(" ", "_")
    with translation.override("en"):  # a file names the English label, whoever imports it
        labels = [(code, str(label)) for code, label in choices]
    for code, label in labels:
        if wanted in {code.casefold(), label.casefold().replace("-", "_").replace(" ", "_")}:
            return code
    expected = ", ".join(code for code, _ in choices)
    raise ValueError(f"unknown value '{text}' (expected one of: {expected})")


def _website(value: Any) -> str:
    text = _text(value)
    if text and "://" not in text:
        text = f"https://{text}"
    return text


PARSERS: dict[str, Callable[[Any], Any]] = {
    "name": _text,
    "category": lambda v: _choice(v, Category.choices, blank=False),
    "country": country_code,
    "city": _text,
    "official_name": _text,
    "population": _whole_number,
    "population_year": _whole_number,
    "founding_member": _boolean,
    "institution_type": lambda v: _choice(v, InstitutionType.choices, blank=True),
    "corporate_category": lambda v: _choice(v, CorporateCategory.choices, blank=True),
    "employees": _whole_number,
    "website": _website,
    "description": _text,
}


def current_value(org: Organisation, name: str) -> Any:
    value = getattr(org, name)
    return str(value) if name == "country" else value


# --- the rows ------------------------------------------------------------------------------


def _combination_errors(row: int, values: dict[str, Any], *, note: str = "") -> list[RowError]:
    """The per-category fields (mirroring the model's check constraints), named clearly."""
    category = values.get("category")
    if not category:
        return []
    errors = []
    if values.get("population") is not None and category != Category.LOCAL_GOVERNMENT:
        errors.append(RowError(row, "population", "only local governments have one" + note))
    if values.get("institution_type") and category != Category.INSTITUTION:
        errors.append(RowError(row, "institution_type", "only institutions have one" + note))
    if values.get("corporate_category") and category != Category.CORPORATION:
        errors.append(RowError(row, "corporate_category", "only corporations have one" + note))
    return errors


def _parse_row(row: int, cells: dict[str, Any]) -> tuple[dict[str, Any], list[RowError]]:
    values: dict[str, Any] = {}
    errors: list[RowError] = []
    for key, raw in cells.items():
        try:
            values[key] = PARSERS[key](raw)
        except ValueError as exc:
            errors.append(RowError(row, key, str(exc)))
    if "name" in values and not values["name"]:
        errors.append(RowError(row, "name", "is required"))
    errors.extend(_combination_errors(row, values))
    errors.extend(_model_errors(row, values, skip={e.column for e in errors}))
    return values, errors


def _model_errors(row: int, values: dict[str, Any], *, skip: set[str]) -> list[RowError]:
    """The model's field validation (lengths, URLs) of the row's values, without queries."""
    checked = set(values) - skip
    org = Organisation(**{k: v for k, v in values.items() if k in checked})
    others = [f.name for f in Organisation._meta.fields if f.name not in checked]
    try:
        org.clean_fields(exclude=others)
    except ValidationError as exc:
        return [
            RowError(row, name, " ".join(messages)) for name, messages in exc.message_dict.items()
        ]
    return []


@dataclass
class _Planned:
    row: int
    values: dict[str, Any]
    existing: Organisation | None
    changed: dict[str, Any]


def _plan(
    rows: list[tuple[int, dict[str, Any], bool]], progress: Progress | None
) -> tuple[list[_Planned], list[RowError]]:
    """Match rows to organisations (by name, then slug); `bool` says the row parsed cleanly."""
    rows = [r for r in rows if r[1].get("name")]
    names = {values["name"] for _, values, _ in rows}
    slugs = {slugify(name) for name in names}
    existing = list(Organisation.objects.filter(Q(name__in=names) | Q(slug__in=slugs)))
    by_name: dict[str, list[Organisation]] = {}
    for found in existing:
        by_name.setdefault(found.name, []).append(found)
    by_slug = {found.slug: found for found in existing}

    planned: list[_Planned] = []
    errors: list[RowError] = []
    first_row_of: dict[int | str, int] = {}
    for done, (row, values, valid) in enumerate(rows, start=1):
        if progress:
            progress("check", done, len(rows))
        name = values["name"]
        same_name = by_name.get(name, [])
        if len(same_name) > 1:
            slugs_found = ", ".join(sorted(o.slug for o in same_name))
            errors.append(
                RowError(row, "name", f"'{name}' matches several organisations ({slugs_found})")
            )
            continue
        org: Organisation | None = same_name[0] if same_name else by_slug.get(slugify(name))
        identity: int | str = org.pk if org is not None else name.casefold()
        if identity in first_row_of:
            errors.append(
                RowError(row, "name", f"'{name}' is already on row {first_row_of[identity]}")
            )
            continue
        first_row_of[identity] = row
        if not valid:
            continue  # its errors are already listed; it only took part in duplicate checks
        if org is None:
            changed = dict(values)
        else:
            changed = {k: v for k, v in values.items() if current_value(org, k) != v}
            # A column left out of the file keeps its stored value: check the combination.
            kept = {
                key: getattr(org, key)
                for key in ("population", "institution_type", "corporate_category")
                if key not in values
            }
            errors.extend(
                _combination_errors(
                    row,
                    {"category": values["category"], **kept},
                    note=" (the stored value is kept: add the column to clear it)",
                )
            )
        planned.append(_Planned(row=row, values=values, existing=org, changed=changed))
    return planned, errors


def _error_order(error: RowError) -> tuple[int, int]:
    column = COLUMNS.index(error.column) if error.column in COLUMNS else len(COLUMNS)
    return (error.row or 0, column)


def organisations_import(
    *,
    actor: Actor,
    data: bytes,
    format: str,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Import organisations from CSV or XLSX bytes: all rows or none.

    `actor` is authorised by the caller (`members.import_organisations`); the system is a
    management command run on the server. A dry run checks everything and reports what
    would change without writing.
    """
    result = ImportResult(dry_run=dry_run)
    if format not in FORMATS:
        result.errors.append(RowError(None, "format", f"'{format}' is not one of csv, xlsx"))
        return result

    table = read_table(
        data,
        name=f"organisations.{format}",
        required=sorted(REQUIRED_COLUMNS),
        optional=PARSERS,
        ignored=READ_ONLY_COLUMNS,
    )
    file_errors = [e for e in table.errors if e.row in {None, 1}]
    if file_errors:
        result.errors = file_errors
        return result

    parsed: list[tuple[int, dict[str, Any], bool]] = []
    row_errors: list[RowError] = list(table.errors)  # cells the reader refused (NUL)
    for record in table:
        cells = {key: record[key] for key in table.columns if key in PARSERS}
        values, errors = _parse_row(record.number, cells)
        row_errors.extend(errors)
        parsed.append((record.number, values, not errors))
    planned, plan_errors = _plan(parsed, progress)
    result.errors = sorted(row_errors + plan_errors, key=_error_order)
    if result.errors:
        return result

    for item in planned:
        if item.existing is None:
            action: Literal["create", "update", "unchanged"] = "create"
            result.created += 1
        elif item.changed:
            action = "update"
            result.updated += 1
        else:
            action = "unchanged"
            result.unchanged += 1
        name = item.values["name"]
        result.rows.append(RowPlan(item.row, name, action, tuple(sorted(item.changed))))
    if dry_run:
        return result

    try:
        _write(actor, planned, progress)
    except _RowInvalid as exc:
        return ImportResult(dry_run=dry_run, errors=[exc.error])
    return result


def _write(actor: Actor, planned: list[_Planned], progress: Progress | None) -> None:
    todo = [p for p in planned if p.existing is None or p.changed]
    with transaction.atomic():
        for done, item in enumerate(todo, start=1):
            try:
                if item.existing is None:
                    organisation_create(actor=actor, **item.values)
                else:
                    organisation_update(actor=actor, organisation=item.existing, **item.changed)
            except ValidationError as exc:
                field_name, messages = next(iter(sorted(exc.message_dict.items())))
                raise _RowInvalid(RowError(item.row, field_name, " ".join(messages))) from exc
            if progress:
                progress("write", done, len(todo))
