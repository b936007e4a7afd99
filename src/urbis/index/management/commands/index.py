"""`urbis index compute --edition 2023 --runs 10000` and `urbis index import ...`."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from urbis.common.actor import Actor
from urbis.common.imports import ImportFileError
from urbis.index import domain
from urbis.index.engine.memory import keep_freed_memory
from urbis.index.models import Edition

COMMAND_LINE = Actor.system("command line")


class Command(BaseCommand):
    help = "The smart-city index: import data (CSV/XLSX) and compute an edition."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        sub = parser.add_subparsers(dest="action", required=True)
        comp = sub.add_parser("compute", help="Compute an edition with rank intervals.")
        comp.add_argument("--edition", type=int, required=True, help="Edition year")
        comp.add_argument("--runs", type=int, default=1000, help="Monte Carlo runs")
        comp.add_argument("--seed", type=int, default=2023)
        comp.add_argument("--sobol-samples", type=int, default=256, help="0: no Sobol indices")
        comp.add_argument("--workers", type=int, default=1, help="Threads for the runs")
        ed = sub.add_parser("edition", help="Create or update an edition and its cut-points.")
        ed.add_argument("--edition", type=int, required=True, help="Edition year")
        ed.add_argument("--title", required=True)
        ed.add_argument("--cutpoints", type=Path, required=True, help="YAML or JSON file")
        ed.add_argument("--respondents", type=int, default=120)
        ed.add_argument("--synthetic", action="store_true")
        imp = sub.add_parser("import", help="Import cities, indicators or survey results.")
        imp.add_argument("kind", choices=domain.IMPORTERS)
        imp.add_argument("file", type=Path)
        imp.add_argument("--edition", type=int, required=True)

    def _edition(self, year: int) -> Edition:
        edition = Edition.objects.filter(year=year).first()
        if edition is None:
            raise CommandError(f"No edition {year}.")
        return edition

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        if options["action"] == "edition":
            try:
                cutpoints = yaml.safe_load(options["cutpoints"].read_text(encoding="utf-8"))
                edition = domain.edition_create(
                    year=options["edition"],
                    title=options["title"],
                    cutpoints=cutpoints,
                    respondents=options["respondents"],
                    synthetic=options["synthetic"],
                    actor=COMMAND_LINE,
                )
            except (OSError, yaml.YAMLError, AttributeError) as exc:
                raise CommandError(f"{options['cutpoints']}: {exc}") from exc
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from exc
            self.stdout.write(f"Saved {edition}.")
            return
        edition = self._edition(options["edition"])
        if options["action"] == "import":
            path: Path = options["file"]
            try:
                count = domain.data_import(
                    edition=edition,
                    kind=options["kind"],
                    data=path.read_bytes(),
                    name=path.name,
                    actor=COMMAND_LINE,
                )
            except OSError as exc:
                raise CommandError(f"{path}: {exc}") from exc
            except ImportFileError as exc:
                raise CommandError(
                    f"{options['file']}: {len(exc.errors)} error(s); nothing was written:\n{exc}"
                ) from exc
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from exc
            self.stdout.write(f"Imported {count} {options['kind']} row(s) into {edition}.")
            return
        console = Console(file=self.stdout, force_terminal=False)
        runs = options["runs"]
        keep_freed_memory()
        columns = (
            *Progress.get_default_columns()[:1],
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        try:
            with Progress(*columns, console=console, transient=True) as progress:
                task = progress.add_task(f"Monte Carlo, {edition.year}", total=runs)
                computation = domain.index_compute(
                    edition=edition,
                    actor=COMMAND_LINE,
                    runs=runs,
                    seed=options["seed"],
                    sobol_samples=options["sobol_samples"],
                    workers=options["workers"],
                    progress=lambda done: progress.update(task, completed=done),
                )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        label = " (SYNTHETIC data)" if computation.synthetic else ""
        self.stdout.write(
            f"Computed {edition}{label}: {computation.results.count()} cities, "
            f"{runs} runs, seed {computation.seed}."
        )
