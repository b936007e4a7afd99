"""Checks of the files and of each organisation row (its profile fields)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pycountry
import yaml
from django.core.exceptions import ValidationError
from django.utils.text import slugify

from urbis.demo.loaders.members.validate.base import _Base
from urbis.demo.loaders.members.validate.rows import (
    ORG_DIR,
    ROW_KEYS,
    SLUG_RE,
    TEXT_FIELDS,
    TOP_KEYS,
    OrgRow,
    Report,
    _is_int,
    model_errors,
)
from urbis.demo.yamlio import LINE_KEY, read_yaml
from urbis.members.domain import ORGANISATION_FIELDS
from urbis.members.models import (
    Category,
    CorporateCategory,
    InstitutionType,
    Organisation,
)


class _ProfileChecks(_Base):
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
