"""A real SMTP backend whose process "dies" (KeyboardInterrupt, which no `except Exception`
catches) at a chosen point of a batch: before the Nth message goes out, or just after the
server accepted it. Used to show what a worker killed mid-batch leaves behind."""

from __future__ import annotations

from django.core.mail.backends.smtp import EmailBackend


class Dying(EmailBackend):
    die_before: int | None = None  # die when asked to send the Nth message (1-based)
    die_after: int | None = None  # die once the server accepted the Nth message
    count = 0

    def send_messages(self, email_messages):  # type: ignore[no-untyped-def]
        Dying.count += 1
        if Dying.die_before == Dying.count:
            raise KeyboardInterrupt("worker killed before sending")
        sent = super().send_messages(email_messages)
        if Dying.die_after == Dying.count:
            raise KeyboardInterrupt("worker killed after the server accepted")
        return sent
