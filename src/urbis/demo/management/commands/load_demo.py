"""`urbis load-demo`: load the 6th General Assembly data set, idempotently and atomically."""

from __future__ import annotations

import importlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from rich.console import Console
from rich.progress import Progress

from urbis.demo.loaders import LOADERS
from urbis.demo.loaders.context import DATA_DIR, LoadContext
from urbis.demo.yamlio import DataErrors


class Command(BaseCommand):
    help = "Load the demo data set (6th General Assembly, 2023). Safe to run twice."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--data-dir", type=Path, default=DATA_DIR)

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        console = Console(file=self.stdout, force_terminal=False)
        summaries: list[str] = []
        try:
            with transaction.atomic(), Progress(console=console, transient=True) as progress:
                task = progress.add_task("Loading demo data", total=len(LOADERS))
                for dotted in LOADERS:
                    module = importlib.import_module(dotted)
                    progress.update(task, description=f"Loading {dotted.rsplit('.', 1)[-1]}")
                    ctx = LoadContext(
                        data_dir=options["data_dir"],
                        progress=lambda m: progress.update(task, description=m),
                    )
                    summaries.append(module.load(ctx))
                    progress.advance(task)
        except DataErrors as exc:
            raise CommandError(
                f"The demo data has {len(exc.errors)} error(s); nothing was written:\n{exc}"
            ) from exc
        for line in summaries:
            self.stdout.write(line)
