"""A real SMTP server for development and tests (aiosmtpd): it accepts every message on a
loopback port and hands it, whole, to a callback — the database for `urbis smtp_sink`
(staff read it on /messaging/sink/), a list for the tests. Never used in production."""

from __future__ import annotations

import socket
from collections.abc import Callable
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

from aiosmtpd.controller import Controller
from asgiref.sync import sync_to_async


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_to: list[str]
    raw: bytes
    # The client's address and port: one per SMTP session (tests count the sessions).
    peer: tuple[str, int] | None = None

    @property
    def message(self) -> EmailMessage:
        # SMTP carries CRLF line ends; the parsed message uses \n like any Python text.
        parsed = BytesParser(policy=policy.default).parsebytes(self.raw.replace(b"\r\n", b"\n"))
        assert isinstance(parsed, EmailMessage)
        return parsed


class SinkHandler:
    """aiosmtpd handler: every message is accepted and passed to `store` (a synchronous
    callable, run in a thread so it may use the ORM)."""

    def __init__(self, store: Callable[[Received], Any], refuse: frozenset[str] = frozenset()):
        self.store = sync_to_async(store, thread_sensitive=False)
        self.refuse = refuse  # addresses answered "550 no such mailbox" (tests of failures)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address.lower() in self.refuse:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode()
        await self.store(
            Received(
                mail_from=envelope.mail_from,
                rcpt_to=list(envelope.rcpt_tos),
                raw=raw,
                peer=tuple(session.peer[:2]) if session.peer else None,
            )
        )
        return "250 Message accepted for delivery"


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def sink_start(
    store: Callable[[Received], Any],
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    refuse: frozenset[str] = frozenset(),
) -> Controller:
    """Start a sink in a thread; `controller.port` is where it listens; `stop()` ends it."""
    controller = Controller(SinkHandler(store, refuse), hostname=host, port=port or free_port(host))
    controller.start()
    return controller
