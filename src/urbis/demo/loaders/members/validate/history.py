"""Checks of a row's lifecycle events and contacts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError

from urbis.demo.loaders.members.validate.base import _Base
from urbis.demo.loaders.members.validate.rows import (
    CONTACT_KEYS,
    EVENT_KEYS,
    LETTERS,
    PRECISIONS,
    ContactRow,
    EventRow,
    model_errors,
    parse_date,
)
from urbis.demo.yamlio import LINE_KEY
from urbis.members.models import (
    MEMBER_CATEGORIES,
    Category,
    Contact,
)
from urbis.members.rules import EventKind


class _HistoryChecks(_Base):
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
