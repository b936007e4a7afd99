"""Sending: the worker claims a chunk of due messages with a conditional UPDATE, delivers
them one at a time, retries a temporary failure with a growing delay and puts the rows of a
killed worker back in the queue.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import smtplib
import uuid
from dataclasses import dataclass
from typing import Any

from django.core import mail
from django.utils import timezone

from urbis.messaging.domain.outbox.queueing import _wake_worker
from urbis.messaging.models import Message

# Named after the package, as the logger of the module it was split from.
logger = logging.getLogger(__package__)

STALE_AFTER = dt.timedelta(minutes=10)
CLAIM_CHUNK = 50
BACKOFF_BASE = dt.timedelta(minutes=1)
BACKOFF_MAX = dt.timedelta(hours=6)


def backoff(attempts: int) -> dt.timedelta:
    """Wait before the next try after `attempts` failed ones: 1, 2, 4, 8 … minutes, at most
    six hours."""
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_MAX)


def messages_recover_stale(
    *, now: dt.datetime | None = None, stale_after: dt.timedelta = STALE_AFTER
) -> int:
    """Put back in the queue the messages a killed worker left `sending` (same Message-ID)."""
    now = now or timezone.now()
    return Message.objects.filter(
        state=Message.State.SENDING, claimed_at__lte=now - stale_after
    ).update(state=Message.State.QUEUED, claim=None, claimed_at=None, next_attempt_at=now)


def _claim(now: dt.datetime, limit: int) -> list[Message]:
    token = uuid.uuid4()
    due = Message.objects.filter(state=Message.State.QUEUED, next_attempt_at__lte=now)
    ids = list(due.order_by("next_attempt_at", "created_at").values_list("pk", flat=True)[:limit])
    if not ids:
        return []
    # The condition is repeated in the UPDATE: a row another worker claimed meanwhile is
    # no longer `queued` and is left alone.
    Message.objects.filter(pk__in=ids, state=Message.State.QUEUED).update(
        state=Message.State.SENDING, claim=token, claimed_at=now
    )
    # Sent oldest first, as claimed (the model's own ordering is the newest first).
    return list(
        Message.objects.filter(claim=token)
        .order_by("next_attempt_at", "created_at", "id")
        .prefetch_related("attachments")
    )


def _email(message: Message, connection: Any) -> mail.EmailMultiAlternatives:
    headers = {"Message-ID": message.message_id, "X-Urbis-Kind": message.kind}
    if not message.statutory:
        from urbis.messaging.unsubscribe import unsubscribe_url

        url = unsubscribe_url(message.to_address)
        headers["List-Unsubscribe"] = f"<{url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email = mail.EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=message.from_address,
        to=[message.recipient],
        reply_to=[message.reply_to] if message.reply_to else None,
        headers=headers,
        connection=connection,
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    for a in message.attachments.all():
        email.attach(a.filename, bytes(a.content), a.content_type)
    return email


def _permanent(exc: Exception) -> bool:
    """A 5xx answer (mailbox unknown, message refused) will not change by trying again."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 500 <= exc.smtp_code < 600
    return False


@dataclass
class SendOutcome:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    recovered: int = 0
    next_retry: dt.datetime | None = None


def outbox_send(*, limit: int | None = None, now: dt.datetime | None = None) -> SendOutcome:
    """Send the messages that are due, through Django's e-mail backend (SMTP from the
    environment), one SMTP session for the run. Called by the task worker and by
    `urbis outbox_send`."""
    outcome = SendOutcome(recovered=messages_recover_stale(now=now))
    connection = mail.get_connection(fail_silently=False)
    done = 0
    try:
        while limit is None or done < limit:
            at = now or timezone.now()
            chunk = _claim(at, CLAIM_CHUNK if limit is None else min(CLAIM_CHUNK, limit - done))
            if not chunk:
                break
            for message in chunk:
                done += 1
                _send_one(message, connection, outcome)
    finally:
        try:
            connection.close()
        except Exception:  # closing a broken connection must not hide the run's outcome
            logger.warning("Closing the mail connection failed", exc_info=True)
    if outcome.next_retry:
        _wake_worker(run_after=outcome.next_retry)
    return outcome


def _send_one(message: Message, connection: Any, outcome: SendOutcome) -> None:
    attempts = message.attempts + 1
    mine = Message.objects.filter(pk=message.pk, claim=message.claim, state=Message.State.SENDING)
    try:
        # One session for the run: a backend not yet open would connect, greet and quit
        # for every message (open() does nothing when the session is up, and opens it
        # again after a failure closed it).
        connection.open()
        _email(message, connection).send()
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:2000]
        logger.warning("Sending message %s failed: %s", message.pk, error)
        with contextlib.suppress(Exception):
            connection.close()  # a broken session is opened again for the next message
        if _permanent(exc) or attempts >= message.max_attempts:
            mine.update(
                state=Message.State.FAILED,
                attempts=attempts,
                last_error=error,
                claim=None,
            )
            outcome.failed += 1
        else:
            retry_at = timezone.now() + backoff(attempts)
            mine.update(
                state=Message.State.QUEUED,
                attempts=attempts,
                last_error=error,
                claim=None,
                claimed_at=None,
                next_attempt_at=retry_at,
            )
            outcome.retried += 1
            if outcome.next_retry is None or retry_at < outcome.next_retry:
                outcome.next_retry = retry_at
        return
    mine.update(state=Message.State.SENT, attempts=attempts, sent_at=timezone.now(), claim=None)
    outcome.sent += 1
