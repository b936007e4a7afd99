"""`urbis prune_jobs --min-age-days 30 --stale-hours 6`: forget finished jobs and their files,
and fail the jobs a killed worker left "running". `urbis prune_jobs --recover` (every minute):
only queue again or fail the jobs whose worker died (`jobs_recover`, PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from urbis.common.jobs import jobs_fail_stale, jobs_prune, jobs_recover


class Command(BaseCommand):
    help = (
        "Delete finished jobs (and their files) older than --min-age-days; fail jobs running "
        "for more than --stale-hours."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--min-age-days", type=int, default=30)
        parser.add_argument("--stale-hours", type=int, default=6)
        parser.add_argument(
            "--recover", action="store_true", help="Only recover the jobs of dead workers."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days, hours = options["min_age_days"], options["stale_hours"]
        if days < 0:
            raise CommandError("--min-age-days: a number of days, 0 or more.")
        if hours < 1:
            raise CommandError("--stale-hours: a number of hours, 1 or more.")
        if options["recover"]:
            requeued, failed = jobs_recover()
            self.stdout.write(f"Jobs of dead workers: {requeued} queued again, {failed} failed.")
            return
        now = timezone.now()
        stale = jobs_fail_stale(started_before=now - dt.timedelta(hours=hours))
        deleted = jobs_prune(before=now - dt.timedelta(days=days))
        self.stdout.write(
            f"Failed {stale} job(s) running for more than {hours} hour(s); "
            f"deleted {deleted} finished job(s) older than {days} day(s)."
        )
