"""Checks across rows and against the database: duplicates, matches, the folded lifecycle."""

from __future__ import annotations

import datetime as dt

from urbis.demo.loaders.members.validate.base import _Base
from urbis.demo.loaders.members.validate.rows import (
    EventRow,
    OrgRow,
)
from urbis.members import rules
from urbis.members.models import (
    MEMBER_CATEGORIES,
    Organisation,
)
from urbis.members.rules import EventKind


class _CrossChecks(_Base):
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
