"""`urbis import_payments FILE.csv` (or .xlsx): import payments, all or nothing."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import Progress

from urbis.common.actor import Actor
from urbis.dues.domain.ledger import payments_import


class Command(BaseCommand):
    help = (
        "Import payments from CSV or XLSX (member, fiscal_year, date, amount, currency, reference, "
        "method). Any bad row is reported and nothing is written."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("file", type=Path)

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from exc
        console = Console(file=self.stdout)
        try:
            with Progress(console=console, transient=True) as bar:
                task = bar.add_task("Importing payments", total=None)
                result = payments_import(
                    actor=Actor.system(),
                    data=data,
                    name=path.name,
                    progress=lambda n, total: bar.update(task, completed=n, total=total),
                )
        except ValidationError as exc:
            lines = "\n".join(f"{path.name}: {m}" for m in exc.messages)
            raise CommandError(
                f"{len(exc.messages)} error(s), nothing was written:\n{lines}"
            ) from exc
        console.print(result.summary)
