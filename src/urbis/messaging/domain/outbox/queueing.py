"""Queueing mail: what a caller hands in (`Outgoing`, `AttachmentIn`), checked and written
in the caller's transaction in a fixed number of statements, and the worker woken once the
transaction commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.utils import make_msgid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connections, models, router, transaction
from django.utils import timezone

from urbis.common.audit import audit_record
from urbis.messaging.models import Attachment, Batch, Message, OptOut


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
