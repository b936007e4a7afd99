"""Validation of the organisation files: every row checked, every error collected.

`validate(data_dir)` returns the rows to write, each matched with the organisation already in
the database (by slug, then by name), or raises `DataErrors` naming `file:line: field`.
The lifecycle of each organisation is folded as the domain will fold it after loading
(existing events plus the new ones), so that a forbidden transition is reported here and
not half-way through the writes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pycountry
import yaml
from django.core.exceptions import ValidationError
from django.utils.text import slugify

from urbis.demo.yamlio import LINE_KEY, DataError, DataErrors, read_yaml
from urbis.members import rules
from urbis.members.domain import ORGANISATION_FIELDS
from urbis.members.models import (
    MEMBER_CATEGORIES,
    Category,
    Contact,
    CorporateCategory,
    InstitutionType,
    LifecycleEvent,
    Organisation,
)
from urbis.members.rules import EventKind

ORG_DIR = "organisations"
TOP_KEYS = frozenset({"organisations", "defaults", "texts"})
ROW_KEYS = ORGANISATION_FIELDS | {"slug", "lifecycle", "contacts"}
EVENT_KEYS = frozenset({"kind", "date", "precision", "reason", "decision_ref", "letter", "note"})
CONTACT_KEYS = frozenset({"name", "position", "email", "phone", "mayoral_level", "is_focal_point"})
TEXT_FIELDS = ("name", "official_name", "city", "website", "description")
YEAR_ONLY = (7, 1)  # a date known only by its year is stored as 1 July of that year
MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
SLUG_RE = re.compile(r"^[-a-z0-9_]+$")
Report = Callable[[str, str], None]  # (field, reason) -> records an error on a row
PRECISIONS = {p.value for p in LifecycleEvent.Precision}
LETTERS = {v for v, _ in LifecycleEvent.Letter.choices}


@dataclass
class EventRow:
    line: int
    kind: str
    date: dt.date
    precision: str
    reason: str = ""
    decision_ref: str = ""
    letter: str = ""
    note: str = ""  # where the date or reason comes from: staff-only, never printed


@dataclass
class ContactRow:
    line: int
    fields: dict[str, Any]

    @property
    def key(self) -> tuple[str, str]:
        return (self.fields["name"], self.fields.get("position", ""))


@dataclass
class OrgRow:
    file: str
    line: int
    slug: str
    fields: dict[str, Any]
    events: list[EventRow] = field(default_factory=list)
    contacts: list[ContactRow] = field(default_factory=list)
    existing: Organisation | None = None

    @property
    def name(self) -> str:
        return str(self.fields.get("name", ""))

    @property
    def category(self) -> str:
        return str(self.fields.get("category", ""))


class _Collector:
    def __init__(self) -> None:
        self.errors: list[DataError] = []

    def add(self, file: str, line: int, field_name: str, reason: str) -> None:
        self.errors.append(DataError(file, line, field_name, reason))


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def parse_date(value: Any) -> tuple[dt.date, str] | None:
    """(date, precision) for 2023-09-26, '2012-11' or 2014; None when it is not a date."""
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value, LifecycleEvent.Precision.DAY.value
    if _is_int(value) and 1900 <= value <= 2100:
        return dt.date(value, *YEAR_ONLY), LifecycleEvent.Precision.YEAR.value
    if isinstance(value, str):
        match = MONTH_RE.match(value)
        if match and 1900 <= int(match[1]) <= 2100 and 1 <= int(match[2]) <= 12:
            return dt.date(int(match[1]), int(match[2]), 1), LifecycleEvent.Precision.MONTH.value
    return None


def model_errors(exc: ValidationError) -> list[tuple[str, str]]:
    if hasattr(exc, "error_dict"):
        return [
            (name, "; ".join(str(m) for e in errs for m in e.messages))
            for name, errs in exc.error_dict.items()
        ]
    return [("row", "; ".join(exc.messages))]


class _Validator:
    """Turns the YAML rows into OrgRows, collecting every error on the way."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.out = _Collector()

    def err(self, file: str, line: int, field_name: str, reason: str) -> None:
        self.out.add(file, line, field_name, reason)

    # -- files -----------------------------------------------------------------------------
    def files(self) -> list[Path]:
        folder = self.data_dir / ORG_DIR
        paths = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
        if not paths:
            self.err(ORG_DIR, 0, "file", "no organisation files (*.yaml) found")
        return paths

    def read(self, path: Path) -> list[OrgRow]:
        label = f"{ORG_DIR}/{path.name}"
        try:
            document = read_yaml(path)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else 0
            self.err(label, line, "file", f"not valid YAML: {getattr(exc, 'problem', exc)}")
            return []
        if not isinstance(document, dict):
            self.err(label, 1, "file", "expected a mapping with an 'organisations' list")
            return []
        document.pop(LINE_KEY, None)
        for key in sorted(set(document) - TOP_KEYS, key=str):
            self.err(label, 1, str(key), "unknown top-level key")
        defaults = dict(document.get("defaults") or {})
        defaults_line = defaults.pop(LINE_KEY, 1)
        for key in sorted(set(defaults) - ORGANISATION_FIELDS, key=str):
            self.err(label, defaults_line, f"defaults.{key}", "not an organisation field")
            defaults.pop(key)
        items = document.get("organisations") or []
        if not isinstance(items, list):
            self.err(label, 1, "organisations", "must be a list")
            return []
        rows = []
        for item in items:
            if not isinstance(item, dict):
                self.err(label, 0, "organisations", f"each row must be a mapping, not {item!r}")
                continue
            item = dict(item)
            line = item.pop(LINE_KEY, 0)
            row = self.row(label, line, {**defaults, **item})
            if row is not None:
                rows.append(row)
        return rows

    # -- one organisation ------------------------------------------------------------------
    def row(self, file: str, line: int, item: dict[str, Any]) -> OrgRow | None:
        err = lambda f, reason: self.err(file, line, f, reason)  # noqa: E731
        for key in sorted(set(item) - ROW_KEYS, key=str):
            err(str(key), "unknown field")
            item.pop(key)
        name = item.get("name")
        if not isinstance(name, str) or not name.strip():
            err("name", "required")
            return None
        category = item.get("category")
        if category not in Category.values:
            err("category", f"unknown category {category!r} (one of {', '.join(Category.values)})")
        fields: dict[str, Any] = {"name": name.strip()}
        if category in Category.values:
            fields["category"] = category
        for text in TEXT_FIELDS[1:]:
            if text in item:
                if isinstance(item[text], str):
                    fields[text] = item[text].strip()
                else:
                    err(text, f"must be text, not {item[text]!r}")
        if "aliases" in item:
            aliases = item["aliases"]
            if not isinstance(aliases, list) or not all(
                isinstance(a, str) and a.strip() for a in aliases
            ):
                err("aliases", "must be a list of names")
            else:
                cleaned = [" ".join(a.split()) for a in aliases]
                if fields["name"] in cleaned:
                    err("aliases", "repeats the organisation's own name")
                if len(set(cleaned)) != len(cleaned):
                    err("aliases", "lists a name twice")
                fields["aliases"] = cleaned
        if "country" in item:
            country = item["country"]
            if country in ("", None):
                fields["country"] = ""
            elif not isinstance(country, str) or pycountry.countries.get(alpha_2=country) is None:
                err("country", f"{country!r} is not an ISO 3166-1 alpha-2 country code")
            elif country != country.upper():
                err("country", f"'{country}' must be upper case")
            else:
                fields["country"] = country
        self._numbers(item, fields, category, err)
        self._kinds(item, fields, category, err)
        if "founding_member" in item:
            founding = item["founding_member"]
            if not isinstance(founding, bool):
                err("founding_member", f"must be true or false, not {founding!r}")
            elif founding and category in Category.values and category != "local_government":
                err("founding_member", "only a local government can be a founding member")
            else:
                fields["founding_member"] = founding

        slug = item.get("slug") or slugify(fields["name"])
        if not isinstance(slug, str) or not SLUG_RE.match(slug) or len(slug) > 200:
            err("slug", f"{slug!r} is not a valid slug")
            slug = ""
        # Let the model check what is left (lengths, URL, choices).
        probe = Organisation(**{k: v for k, v in fields.items()})
        try:
            probe.clean_fields(exclude=["slug", "category", "country"])
        except ValidationError as exc:
            for name_, reason in model_errors(exc):
                err(name_, reason)

        row = OrgRow(file=file, line=line, slug=slug, fields=fields)
        row.events = self._events(file, line, item.get("lifecycle"), category)
        row.contacts = self._contacts(file, line, item.get("contacts"))
        return row

    def _numbers(
        self, item: dict[str, Any], fields: dict[str, Any], category: Any, err: Report
    ) -> None:
        if "population" in item and item["population"] is not None:
            population = item["population"]
            if not _is_int(population) or population < 0:
                err("population", f"must be a whole number, not {population!r}")
            elif category in Category.values and category != Category.LOCAL_GOVERNMENT:
                err("population", f"only local governments have a population (category {category})")
            else:
                fields["population"] = population
        if "population_year" in item and item["population_year"] is not None:
            year = item["population_year"]
            if not _is_int(year) or not 1900 <= year <= 2100:
                err("population_year", f"must be a year, not {year!r}")
            elif "population" not in item:
                err("population_year", "given without a population")
            else:
                fields["population_year"] = year
        if "employees" in item and item["employees"] is not None:
            employees = item["employees"]
            if not _is_int(employees) or employees < 0:
                err("employees", f"must be a whole number, not {employees!r}")
            else:
                fields["employees"] = employees

    def _kinds(
        self, item: dict[str, Any], fields: dict[str, Any], category: Any, err: Report
    ) -> None:
        if item.get("institution_type"):
            value = item["institution_type"]
            if value not in InstitutionType.values:
                err("institution_type", f"unknown type {value!r}")
            elif category in Category.values and category != Category.INSTITUTION:
                err("institution_type", f"only for institutions (category {category})")
            else:
                fields["institution_type"] = value
        if item.get("corporate_category"):
            value = item["corporate_category"]
            if value not in CorporateCategory.values:
                err("corporate_category", f"unknown corporate category {value!r}")
            elif category in Category.values and category != Category.CORPORATION:
                err("corporate_category", f"only for corporations (category {category})")
            else:
                fields["corporate_category"] = value

    def _events(self, file: str, org_line: int, items: Any, category: Any) -> list[EventRow]:
        if items is None:
            return []
        if not isinstance(items, list):
            self.err(file, org_line, "lifecycle", "must be a list of events")
            return []
        if items and category in Category.values and category not in MEMBER_CATEGORIES:
            self.err(
                file,
                org_line,
                "lifecycle",
                f"a {category} has no membership lifecycle (only local governments, "
                "institutions and corporations)",
            )
            return []
        events = []
        for raw in items:
            if not isinstance(raw, dict):
                self.err(file, org_line, "lifecycle", f"each event must be a mapping, not {raw!r}")
                continue
            item = {k: v for k, v in raw.items() if k != LINE_KEY}
            line = raw.get(LINE_KEY, org_line)
            err = lambda f, reason, line=line: self.err(file, line, f, reason)  # noqa: E731
            ok = True
            for key in sorted(set(item) - EVENT_KEYS, key=str):
                err(f"lifecycle.{key}", "unknown field")
            kind = item.get("kind")
            if kind not in {k.value for k in EventKind}:
                known = ", ".join(k.value for k in EventKind)
                err("lifecycle.kind", f"unknown event {kind!r} (one of {known})")
                ok = False
            parsed = parse_date(item.get("date"))
            if parsed is None:
                err(
                    "lifecycle.date",
                    f"{item.get('date')!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)",
                )
                ok = False
            precision = item.get("precision", parsed[1] if parsed else "day")
            if precision not in PRECISIONS:
                err("lifecycle.precision", f"{precision!r} is not one of day, month, year")
                ok = False
            letter = item.get("letter", "") or ""
            if letter not in LETTERS:
                err("lifecycle.letter", f"{letter!r} is not one of pending, received")
                ok = False
            texts = {}
            for name in ("reason", "decision_ref", "note"):
                value = item.get(name, "") or ""
                if not isinstance(value, str):
                    err(f"lifecycle.{name}", "must be text")
                    ok = False
                texts[name] = " ".join(str(value).split())
            if len(texts["decision_ref"]) > 200:
                err("lifecycle.decision_ref", "longer than 200 characters")
                ok = False
            if ok and parsed is not None:
                events.append(
                    EventRow(
                        line=line,
                        kind=str(kind),
                        date=parsed[0],
                        precision=str(precision),
                        reason=texts["reason"],
                        decision_ref=texts["decision_ref"],
                        letter=letter,
                        note=texts["note"],
                    )
                )
        seen: dict[tuple[str, dt.date], int] = {}
        for event in events:
            key = (event.kind, event.date)
            if key in seen:
                self.err(
                    file,
                    event.line,
                    "lifecycle.date",
                    f"a second '{event.kind}' event on {event.date} (first on line {seen[key]})",
                )
            seen.setdefault(key, event.line)
        return events

    def _contacts(self, file: str, org_line: int, items: Any) -> list[ContactRow]:
        if items is None:
            return []
        if not isinstance(items, list):
            self.err(file, org_line, "contacts", "must be a list of people")
            return []
        contacts = []
        seen: dict[tuple[str, str], int] = {}
        for raw in items:
            if not isinstance(raw, dict):
                self.err(file, org_line, "contacts", f"each contact must be a mapping, not {raw!r}")
                continue
            item = {k: v for k, v in raw.items() if k != LINE_KEY}
            line = raw.get(LINE_KEY, org_line)
            err = lambda f, reason, line=line: self.err(file, line, f, reason)  # noqa: E731
            ok = True
            for key in sorted(set(item) - CONTACT_KEYS, key=str):
                err(f"contacts.{key}", "unknown field")
                ok = False
            fields: dict[str, Any] = {}
            for name in ("name", "position", "email", "phone"):
                value = item.get(name, "")
                if not isinstance(value, str):
                    err(f"contacts.{name}", f"must be text, not {value!r}")
                    ok = False
                else:
                    fields[name] = " ".join(value.split())
            if ok and not fields["name"]:
                err("contacts.name", "required")
                ok = False
            for name in ("mayoral_level", "is_focal_point"):
                value = item.get(name, False)
                if not isinstance(value, bool):
                    err(f"contacts.{name}", f"must be true or false, not {value!r}")
                    ok = False
                fields[name] = value
            if not ok:
                continue
            try:
                Contact(**fields).clean_fields(exclude=["organisation", "user"])
            except ValidationError as exc:
                for name, reason in model_errors(exc):
                    err(f"contacts.{name}", reason)
                continue
            row = ContactRow(line=line, fields=fields)
            if row.key in seen:
                err("contacts.name", f"{row.key[0]} ({row.key[1]}) is listed twice")
                continue
            seen[row.key] = line
            contacts.append(row)
        return contacts

    # -- across rows and against the database ----------------------------------------------
    def cross_check(self, rows: list[OrgRow]) -> None:
        names: dict[str, OrgRow] = {}
        slugs: dict[str, OrgRow] = {}
        for row in rows:
            key = row.name.casefold()
            if key in names:
                first = names[key]
                self.err(
                    row.file,
                    row.line,
                    "name",
                    f"duplicate name '{row.name}' (also {first.file}:{first.line})",
                )
                continue
            names[key] = row
            if row.slug and row.slug in slugs:
                first = slugs[row.slug]
                self.err(
                    row.file,
                    row.line,
                    "slug",
                    f"duplicate slug '{row.slug}' (also {first.file}:{first.line})",
                )
            slugs.setdefault(row.slug, row)
        aliases: dict[str, OrgRow] = {}
        for row in rows:
            for alias in row.fields.get("aliases", []):
                other = names.get(alias.casefold())
                if other is not None and other is not row:
                    self.err(
                        row.file,
                        row.line,
                        "aliases",
                        f"'{alias}' is the name of another organisation "
                        f"({other.file}:{other.line})",
                    )
                holder = aliases.get(alias.casefold())
                if holder is not None and holder is not row:
                    self.err(
                        row.file,
                        row.line,
                        "aliases",
                        f"'{alias}' is also an alias of {holder.name} "
                        f"({holder.file}:{holder.line})",
                    )
                aliases.setdefault(alias.casefold(), row)

        existing = list(Organisation.objects.prefetch_related("lifecycle_events", "contacts"))
        by_slug = {o.slug: o for o in existing}
        by_name = {o.name: o for o in existing}
        for row in rows:
            row.existing = by_slug.get(row.slug) or by_name.get(row.name)
            if row.existing is not None and row.category and row.existing.category != row.category:
                has_log = any(True for _ in row.existing.lifecycle_events.all())
                if has_log and row.category not in MEMBER_CATEGORIES:
                    self.err(
                        row.file,
                        row.line,
                        "category",
                        f"{row.name} has a membership history; it cannot become a {row.category}",
                    )
            self._check_lifecycle(row)

    def _check_lifecycle(self, row: OrgRow) -> None:
        """Fold the log the database will hold after loading, as the domain will check it."""
        old = list(row.existing.lifecycle_events.all()) if row.existing else []
        old.sort(key=lambda e: (e.date, e.id))
        have = {(e.kind, e.date) for e in old}
        new = sorted((e for e in row.events if (e.kind, e.date) not in have), key=lambda e: e.date)
        ordered: list[tuple[dt.date, int, int, str, EventRow | None]] = [
            (e.date, 0, i, e.kind, None) for i, e in enumerate(old)
        ]
        ordered += [(e.date, 1, i, e.kind, e) for i, e in enumerate(new)]
        ordered.sort(key=lambda t: (t[0], t[1], t[2]))
        state = rules.State.NONE
        for on, _, _, kind, event in ordered:
            step = EventKind(kind)
            if step not in rules.ALLOWED[state]:
                allowed = ", ".join(sorted(k.value for k in rules.ALLOWED[state])) or "nothing"
                line = event.line if event is not None else row.line
                self.err(
                    row.file,
                    line,
                    "lifecycle.kind",
                    f"{on.isoformat()}: '{kind}' is not allowed for {row.name} in state "
                    f"'{state.value}' (allowed: {allowed})",
                )
                return
            state = rules.STATE_AFTER[step] or state


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
