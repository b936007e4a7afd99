"""Writes of the outbox: queue (in the caller's transaction), send (the worker), resend,
cancel.

Delivery is claimed with conditional UPDATEs: `queued → sending` for a chunk under a fresh
claim token, then `sending → sent` one message at a time right after the SMTP server accepted
it. A second worker, or the same task delivered twice, finds nothing to claim. A worker killed
mid-send leaves its claimed rows `sending`; the next run puts those older than
`STALE_AFTER` back in the queue with the same Message-ID, so nothing is lost, and the one
message that may have been accepted in the instant before the kill reaches the recipient's
mailbox under the same Message-ID (mail clients show it once).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import smtplib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.utils import make_msgid
from typing import Any

from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connections, models, router, transaction
from django.utils import timezone

from urbis.common.audit import audit_record
from urbis.messaging.models import Attachment, Batch, Message, OptOut

logger = logging.getLogger(__name__)

STALE_AFTER = dt.timedelta(minutes=10)
CLAIM_CHUNK = 50
BACKOFF_BASE = dt.timedelta(minutes=1)
BACKOFF_MAX = dt.timedelta(hours=6)


@dataclass(frozen=True)
class AttachmentIn:
    filename: str
    content: bytes
    content_type: str = "application/octet-stream"


@dataclass(frozen=True)
class Outgoing:
    """One message to one recipient, as an app hands it to the outbox."""

    to_address: str
    subject: str
    body_text: str
    to_name: str = ""
    body_html: str = ""
    attachments: Sequence[AttachmentIn] = field(default_factory=tuple)


def _message_id() -> str:
    domain = getattr(settings, "URBIS_MAIL_DOMAIN", "") or "urbis.localhost"
    return make_msgid(idstring="urbis", domain=domain)


def _clean(out: Outgoing, *, row: int | None = None) -> str:
    where = f"recipient {row}: " if row is not None else ""
    address = out.to_address.strip().lower()
    try:
        validate_email(address)
    except ValidationError:
        raise ValidationError(
            {"to_address": f"{where}'{out.to_address}' is not an e-mail address."}
        ) from None
    if not out.subject.strip():
        raise ValidationError({"subject": f"{where}a message needs a subject."})
    if "\n" in out.subject or "\r" in out.subject:
        raise ValidationError({"subject": f"{where}a subject is one line."})
    if not out.body_text.strip():
        raise ValidationError({"body_text": f"{where}a message needs a plain-text body."})
    return address


def backoff(attempts: int) -> dt.timedelta:
    """Wait before the next try after `attempts` failed ones: 1, 2, 4, 8 … minutes, at most
    six hours."""
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_MAX)


def messages_queue(
    *,
    kind: str,
    messages: Sequence[Outgoing],
    actor: Any,
    statutory: bool = False,
    reference: str = "",
    batch: Batch | None = None,
    max_attempts: int = 5,
) -> list[Message]:
    """Queue messages of one kind, in the caller's transaction: call it inside the
    `transaction.atomic()` block of the change that causes them, so a rolled-back change
    queues nothing and a committed one is never lost. One task wakes the worker.

    A non-statutory message to an address that opted out is written `suppressed` (kept so
    staff see who did not receive it) and never sent."""
    if not kind or len(kind) > 60:
        raise ValidationError({"kind": "a message kind is 1 to 60 characters."})
    cleaned = [
        _clean(out, row=n if len(messages) > 1 else None) for n, out in enumerate(messages, start=1)
    ]
    opted_out: set[str] = set()
    if not statutory and cleaned:
        opted_out = set(
            OptOut.objects.filter(address__in=set(cleaned)).values_list("address", flat=True)
        )
    now = timezone.now()
    user = actor if getattr(actor, "is_authenticated", False) else None
    from_address = settings.DEFAULT_FROM_EMAIL
    rows = [
        Message(
            kind=kind,
            state=Message.State.SUPPRESSED if address in opted_out else Message.State.QUEUED,
            statutory=statutory,
            to_address=address,
            to_name=out.to_name.strip()[:200],
            from_address=from_address,
            subject=out.subject.strip()[:300],
            body_text=out.body_text,
            body_html=out.body_html,
            message_id=_message_id(),
            reference=reference[:120],
            batch=batch,
            max_attempts=max_attempts,
            next_attempt_at=now,
            created_at=now,
            created_by=user,
        )
        for address, out in zip(cleaned, messages, strict=True)
    ]
    with transaction.atomic():
        _insert_many(Message, rows)
        _attachments_insert(rows, messages)
        if rows:
            audit_record(
                actor=actor,
                action="message.queue",
                target=rows[0] if len(rows) == 1 else (batch or rows[0]),
                after={
                    "kind": kind,
                    "count": len(rows),
                    "statutory": statutory,
                    "suppressed": sum(r.state == Message.State.SUPPRESSED for r in rows),
                    "reference": reference,
                },
            )
            _wake_worker()
    return rows


def _insert_many(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """INSERT the rows with one prepared statement executed for each (`executemany`).

    A convocation is thousands of rows; Django's `bulk_create` writes them as one
    statement per batch whose every value it prepares and, on PostgreSQL, quotes into the
    SQL text, which cost several times the INSERT itself (docs/performance.md). The values
    are the instances' own (defaults applied, `created_at` set by the caller), converted
    by each field as a save would; a model's own primary key is written when it has a
    value (Message's UUID) and left to the database otherwise (Attachment's serial)."""
    if not objs:
        return
    connection = connections[router.db_for_write(model)]
    pk = model._meta.pk
    fields = [
        f
        for f in model._meta.concrete_fields
        if not (f is pk and getattr(objs[0], f.attname) is None)
    ]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(str(f.column)) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    params = [
        [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields] for obj in objs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias


def _attachments_insert(rows: Sequence[Message], messages: Sequence[Outgoing]) -> None:
    """The attachments of the queued rows, written as plain values (no model instance per
    file: a convocation attaches the same calendar entry to thousands of messages)."""
    connection = connections[router.db_for_write(Attachment)]
    message_pk = Message._meta.pk
    content = Attachment._meta.get_field("content")
    assert message_pk is not None
    params = [
        (
            message_pk.get_db_prep_save(row.pk, connection),
            a.filename,
            a.content_type,
            content.get_db_prep_save(a.content, connection),
        )
        for row, out in zip(rows, messages, strict=True)
        for a in out.attachments
    ]
    if not params:
        return
    quote = connection.ops.quote_name
    columns = ("message_id", "filename", "content_type", "content")
    sql = "INSERT INTO {} ({}) VALUES (%s, %s, %s, %s)".format(
        quote(Attachment._meta.db_table), ", ".join(quote(c) for c in columns)
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def message_queue(
    *,
    kind: str,
    to_address: str,
    subject: str,
    body_text: str,
    actor: Any,
    to_name: str = "",
    body_html: str = "",
    attachments: Sequence[AttachmentIn] = (),
    statutory: bool = False,
    reference: str = "",
) -> Message:
    """Queue one message in the caller's transaction (see `messages_queue`)."""
    out = Outgoing(
        to_address=to_address,
        to_name=to_name,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        attachments=tuple(attachments),
    )
    return messages_queue(
        kind=kind, messages=[out], actor=actor, statutory=statutory, reference=reference
    )[0]


def _wake_worker(*, run_after: dt.datetime | None = None) -> None:
    from urbis.messaging.jobs import outbox_task

    task = outbox_task.using(run_after=run_after) if run_after else outbox_task
    task.enqueue()


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
    return list(Message.objects.filter(claim=token).prefetch_related("attachments"))


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
    environment), one connection for the run. Called by the task worker and by
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
        _email(message, connection).send()
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:2000]
        logger.warning("Sending message %s failed: %s", message.pk, error)
        with contextlib.suppress(Exception):
            connection.close()  # a broken session is opened again for the next message
        if _permanent(exc) or attempts >= message.max_attempts:
            mine.update(state=Message.State.FAILED, attempts=attempts, last_error=error, claim=None)
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


def message_cancel(*, message: Message, actor: Any) -> Message:
    """Cancel a queued message (one waiting for a retry included); a message being sent or
    already sent cannot be called back."""
    with transaction.atomic():
        n = Message.objects.filter(pk=message.pk, state=Message.State.QUEUED).update(
            state=Message.State.CANCELLED
        )
        if not n:
            message.refresh_from_db()
            raise ValidationError(
                {"state": f"Only a queued message can be cancelled; this one is {message.state}."}
            )
        audit_record(
            actor=actor,
            action="message.cancel",
            target=message,
            before={"state": "queued"},
            after={"state": "cancelled"},
        )
    message.refresh_from_db()
    return message


def message_resend(*, message: Message, actor: Any) -> Message:
    """Send a message again as a new message (its own Message-ID), e.g. after a failure or
    when a recipient lost it. A message still queued or being sent is refused."""
    if message.state in {Message.State.QUEUED, Message.State.SENDING}:
        raise ValidationError({"state": f"This message is still {message.state}."})
    atts = [
        AttachmentIn(a.filename, bytes(a.content), a.content_type)
        for a in message.attachments.all()
    ]
    out = Outgoing(
        to_address=message.to_address,
        to_name=message.to_name,
        subject=message.subject,
        body_text=message.body_text,
        body_html=message.body_html,
        attachments=atts,
    )
    with transaction.atomic():
        # A resend by staff is deliberate: it goes even to an address that opted out only
        # when the original was statutory.
        copy = messages_queue(
            kind=message.kind,
            messages=[out],
            actor=actor,
            statutory=message.statutory,
            reference=f"resend:{message.pk}",
            max_attempts=message.max_attempts,
        )[0]
    return copy
