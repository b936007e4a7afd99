"""`urbis outbox_send`: send what is due now, without the task worker (a cron fallback, a
benchmark, a machine with no worker). Messages a killed worker left `sending` for longer
than --stale-minutes are queued again first."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand

from urbis.messaging.domain.outbox import messages_recover_stale, outbox_send


class Command(BaseCommand):
    help = "Send the outbox's due messages now."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--limit", type=int, default=None)
        parser.add_argument("--stale-minutes", type=float, default=None)

    def handle(
        self, *args: Any, limit: int | None, stale_minutes: float | None, **options: Any
    ) -> None:
        if stale_minutes is not None:
            messages_recover_stale(stale_after=dt.timedelta(minutes=stale_minutes))
        start, cpu = time.perf_counter(), time.process_time()
        outcome = outbox_send(limit=limit)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        self.stdout.write(
            f"sent {outcome.sent}, retried {outcome.retried}, failed {outcome.failed}, "
            f"recovered {outcome.recovered} in {elapsed:.2f} s (CPU {cpu:.2f} s)"
        )
