"""`urbis send_reminders`: run the reminder kinds whose next run has come (the systemd timer
`urbis-reminders.timer` calls it hourly; running it more often is harmless: an occurrence is
sent once). --send also sends the outbox right away, for a machine without a worker."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from urbis.messaging.domain.outbox import outbox_send
from urbis.messaging.domain.reminders import reminder_run, reminders_run_due
from urbis.messaging.reminders import REMINDERS


class Command(BaseCommand):
    help = "Run the due reminder kinds (each occurrence is sent once)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--kind", help="run only this kind, now")
        parser.add_argument("--date", help="the day to run for (YYYY-MM-DD), default today")
        parser.add_argument("--force", action="store_true", help="run every kind now")
        parser.add_argument("--send", action="store_true", help="send the outbox afterwards")

    def handle(
        self,
        *args: Any,
        kind: str | None,
        date: str | None,
        force: bool,
        send: bool,
        **options: Any,
    ) -> None:
        try:
            today = dt.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError:
            raise CommandError(f"--date: '{date}' is not a date (YYYY-MM-DD).") from None
        if kind:
            if kind not in REMINDERS:
                raise CommandError(f"--kind: one of {', '.join(sorted(REMINDERS))}, not '{kind}'.")
            outcomes = [reminder_run(kind=kind, today=today, actor=None)]
        else:
            outcomes = reminders_run_due(today=today, actor=None, force=force)
        for o in outcomes:
            self.stdout.write(f"{o.kind}: {o.due} due, {o.sent} queued, {o.skipped} sent before")
        if not outcomes:
            self.stdout.write("No reminder kind is due.")
        if send:
            sent = outbox_send()
            self.stdout.write(
                f"outbox: sent {sent.sent}, retried {sent.retried}, failed {sent.failed}"
            )
