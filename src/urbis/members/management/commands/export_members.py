"""`urbis export-members --format csv|xlsx [--output FILE]`: the directory as a file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from urbis.members.queries.exports import organisations_export


class Command(BaseCommand):
    help = "Export organisations (the import's columns plus `state` as of a date)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("--output", type=Path, help="Write here (default: standard output).")
        parser.add_argument("--as-of", type=dt.date.fromisoformat, help="State on this date.")
        parser.add_argument("--category", default="")
        parser.add_argument("--state", default="")
        parser.add_argument("--country", default="")
        parser.add_argument("--region", default="")
        parser.add_argument("--search", default="")
        parser.add_argument("--members-only", action="store_true")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        fmt = options["format"]
        output: Path | None = options["output"]
        if output is None and fmt == "xlsx":
            raise CommandError("An XLSX export needs --output FILE.")
        data = organisations_export(
            format=fmt,
            search=options["search"],
            category=options["category"],
            region=options["region"],
            country=options["country"],
            state=options["state"],
            as_of=options["as_of"],
            members_only=options["members_only"],
        )
        if output is None:
            self.stdout.write(data.decode("utf-8"), ending="")
            return
        output.write_bytes(data)
        self.stderr.write(f"Wrote {output} ({len(data):,} bytes).")
