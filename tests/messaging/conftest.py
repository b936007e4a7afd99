"""A real SMTP server on a loopback port (aiosmtpd) that collects what it receives, and the
settings that make Django's SMTP backend send to it. Nothing on the sending path is mocked."""

from __future__ import annotations

import threading

import pytest

from urbis.messaging.sink import Received, sink_start


class Mailbox:
    def __init__(self) -> None:
        self.received: list[Received] = []
        self._lock = threading.Lock()

    def store(self, received: Received) -> None:
        with self._lock:
            self.received.append(received)

    def __len__(self) -> int:
        return len(self.received)

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.rcpt_to]


@pytest.fixture
def smtp_server(settings):
    """A running SMTP server; `settings.EMAIL_*` point at it for the test. It refuses the
    mailbox nobody@city.example (550), as a real server refuses an unknown address."""
    box = Mailbox()
    controller = sink_start(box.store, refuse=frozenset({"nobody@city.example"}))
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 10
    box.port = controller.port  # type: ignore[attr-defined]
    yield box
    controller.stop()


@pytest.fixture
def smtp_down(settings):
    """SMTP settings pointing at a loopback port where nothing listens."""
    from urbis.messaging.sink import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    settings.EMAIL_TIMEOUT = 5
