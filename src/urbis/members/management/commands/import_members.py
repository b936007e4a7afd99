"""`urbis import-members FILE [--dry-run]`: import organisations from CSV or XLSX, all or none."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import Progress

from urbis.common.actor import Actor
from urbis.members.domain.imports import FORMATS, organisations_import


class Command(BaseCommand):
    help = (
        "Import organisations from a CSV or XLSX file. Every row is checked first; if any row "
        "is bad, nothing is written and each error is printed as `row N: field: reason`."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report; write nothing."
        )
        parser.add_argument(
            "--format", choices=FORMATS, help="csv or xlsx (default: from the file name)."
        )
        parser.add_argument(
            "--user",
            help="Record the changes under this secretariat account (default: the system).",
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        path: Path = options["file"]
        fmt = options["format"] or path.suffix.lower().lstrip(".")
        if fmt not in FORMATS:
            raise CommandError(f"{path}: cannot tell the format; use --format csv|xlsx.")
        actor = Actor.system()
        if options["user"]:
            try:
                user = get_user_model().objects.get(username=options["user"])
            except get_user_model().DoesNotExist as exc:
                raise CommandError(f"No user named {options['user']!r}.") from exc
            actor = Actor.for_user(user)
            if not actor.has_perm("members.import_organisations"):
                raise CommandError(f"{options['user']!r} may not import organisations.")
        try:
            with path.open("rb") as fh:
                data = fh.read(settings.URBIS_MAX_IMPORT_BYTES + 1)
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from exc

        # Progress is drawn only on a terminal (rich detects it); pipes get the summary only.
        console = Console(file=getattr(self.stderr, "_out", self.stderr))
        with Progress(console=console, transient=True, disable=not console.is_terminal) as progress:
            task = progress.add_task(f"Importing {path.name}", total=None)

            def report(phase: str, done: int, total: int) -> None:
                verb = "Checking" if phase == "check" else "Writing"
                progress.update(task, description=f"{verb} rows", completed=done, total=total)

            result = organisations_import(
                actor=actor, data=data, format=fmt, dry_run=options["dry_run"], progress=report
            )
        if not result.ok:
            for line in result.error_lines:
                self.stderr.write(line)
            raise CommandError(f"{path.name}: {len(result.errors)} error(s); nothing was written.")
        summary = (
            f"{path.name}: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged"
        )
        if result.dry_run:
            summary += " (dry run: nothing was written)"
        self.stdout.write(summary)
