"""`urbis report --assembly 6 --pdf out.pdf [--html out.html]`: the activity report of a General
Assembly, built from the data, with progress."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from urbis.reports import render
from urbis.reports.assembly import ReportError, build


class Command(BaseCommand):
    help = "Build the activity report of a General Assembly as PDF (and optionally HTML)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--assembly", type=int, required=True, help="e.g. 6 (6th GA)")
        parser.add_argument("--pdf", type=Path, help="where to write the PDF")
        parser.add_argument("--html", type=Path, help="where to write the HTML page")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["pdf"] and not options["html"]:
            raise CommandError("Give --pdf FILE and/or --html FILE.")
        console = Console(file=self.stdout, width=120)
        started = time.perf_counter()
        columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
        with Progress(*columns, console=console, transient=True) as progress:
            task = progress.add_task("reading the data", total=None)

            def say(message: str) -> None:
                progress.update(task, description=message)

            try:
                report = build(options["assembly"], progress=say)
            except ReportError as exc:
                raise CommandError(str(exc)) from exc
            if options["html"]:
                say("rendering the HTML page")
                options["html"].write_text(render.html(report, for_pdf=True), encoding="utf-8")
            if options["pdf"]:
                say("printing the PDF")
                options["pdf"].write_bytes(render.pdf(report))
        written = ", ".join(str(options[k]) for k in ("pdf", "html") if options[k])
        console.print(
            f"Activity report of the {report.title}: {written} "
            f"({time.perf_counter() - started:.1f} s)."
        )
