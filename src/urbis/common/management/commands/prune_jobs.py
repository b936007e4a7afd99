"""`urbis prune_jobs --min-age-days 30`: forget finished jobs and their files."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from urbis.common.jobs import jobs_prune


class Command(BaseCommand):
    help = "Delete finished jobs (and their files) older than --min-age-days."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--min-age-days", type=int, default=30)

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["min_age_days"]
        if days < 0:
            raise CommandError("--min-age-days: a number of days, 0 or more.")
        deleted = jobs_prune(before=timezone.now() - dt.timedelta(days=days))
        self.stdout.write(f"Deleted {deleted} finished job(s) older than {days} day(s).")
