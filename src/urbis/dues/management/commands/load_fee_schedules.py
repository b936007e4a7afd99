"""`urbis load_fee_schedules`: validate and store the fee schedules (Annex 3) from YAML."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from urbis.dues.domain.ledger import fee_schedules_load
from urbis.dues.queries.ledger import FEE_SCHEDULES_FILE, schedules_from_file
from urbis.dues.rules.fees import ScheduleError


class Command(BaseCommand):
    help = "Load fee schedules; a schedule with a gap or an overlap is rejected, naming it."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--file", type=Path, default=FEE_SCHEDULES_FILE)

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        try:
            schedules = schedules_from_file(options["file"])
        except (ScheduleError, ValueError) as exc:
            raise CommandError(f"{options['file'].name}: {exc} (nothing was written)") from exc
        rows = fee_schedules_load(schedules=schedules, actor=None)
        for row in rows:
            label = " [example]" if row.example else ""
            self.stdout.write(f"{row.code}: effective {row.effective_from}{label}")
