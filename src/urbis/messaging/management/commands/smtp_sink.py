"""`urbis smtp_sink`: a local SMTP server for development that keeps every message it
receives in the database (staff read them on /messaging/sink/). `make run` starts it beside
the worker; the development settings send to it (EMAIL_HOST/EMAIL_PORT)."""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from urbis.messaging.domain.sink import received_store
from urbis.messaging.sink import sink_start


class Command(BaseCommand):
    help = "Run a local SMTP server that stores what it receives (development only)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=settings.EMAIL_PORT)

    def handle(self, *args: Any, host: str, port: int, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("The SMTP sink is for development; production sends for real.")
        try:
            controller = sink_start(received_store, host=host, port=port)
        except OSError as exc:
            raise CommandError(f"--port: cannot listen on {host}:{port} ({exc}).") from exc
        self.stdout.write(f"SMTP sink on {host}:{port}; staff read its mail on /messaging/sink/")
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        stop.wait()
        controller.stop()
