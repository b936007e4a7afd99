"""`urbis issue_invoices --year 2024`: issue a fiscal year's invoices (Art. 19) in bulk."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import Progress

from urbis.dues.domain.ledger import invoices_issue


class Command(BaseCommand):
    help = "Issue the invoices of a fiscal year to every member that has none yet."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--issued-on", default="", help="YYYY-MM-DD (default: today)")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        try:
            on = dt.date.fromisoformat(options["issued_on"]) if options["issued_on"] else None
        except ValueError as exc:
            raise CommandError("--issued-on: not a date (YYYY-MM-DD)") from exc
        console = Console(file=self.stdout)
        with Progress(console=console, transient=True) as bar:
            task = bar.add_task(f"Issuing FY{options['year']}", total=None)
            result = invoices_issue(
                actor=None,
                fiscal_year=options["year"],
                issued_on=on,
                progress=lambda n, total: bar.update(task, completed=n, total=total),
            )
        for org, reason in result.skipped:
            console.print(f"not priced: {org.name}: {reason}")
        console.print(result.summary)
