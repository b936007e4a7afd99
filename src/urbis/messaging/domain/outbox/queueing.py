"""Queueing mail: what a caller hands in (`Outgoing`, `AttachmentIn`), checked and written
in the caller's transaction in a fixed number of statements, and the worker woken once the
transaction commits.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.utils import make_msgid
from typing import Any, NamedTuple, overload

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connections, router, transaction
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
) -> QueuedMessages:
    """Queue messages of one kind, in the caller's transaction: call it inside the
    `transaction.atomic()` block of the change that causes them, so a rolled-back change
    queues nothing and a committed one is never lost. One task wakes the worker.

    A non-statutory message to an address that opted out is written `suppressed` (kept so
    staff see who did not receive it) and never sent. Returns the rows written (their
    `Message` instances are built when read: most callers never read them)."""
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
    common = {
        "kind": kind,
        "statutory": statutory,
        "from_address": settings.DEFAULT_FROM_EMAIL,
        "reply_to": "",
        "reference": reference[:120],
        "batch_id": batch.pk if batch else None,
        "attempts": 0,
        "max_attempts": max_attempts,
        "next_attempt_at": now,
        "last_error": "",
        "created_at": now,
        "created_by_id": user.pk if user else None,
    }
    queued, suppressed = Message.State.QUEUED.value, Message.State.SUPPRESSED.value
    rows = QueuedMessages(
        common,
        [
            _Row(
                id=uuid.uuid4(),
                state=suppressed if address in opted_out else queued,
                to_address=address,
                to_name=out.to_name.strip()[:200],
                subject=out.subject.strip()[:300],
                body_text=out.body_text,
                body_html=out.body_html,
                message_id=_message_id(),
            )
            for address, out in zip(cleaned, messages, strict=True)
        ],
    )
    with transaction.atomic():
        _messages_insert(rows)
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
                    "suppressed": sum(r.state == suppressed for r in rows.written),
                    "reference": reference,
                },
            )
            _wake_worker()
    return rows


class _Row(NamedTuple):
    """What differs from one queued message to the next (the rest is shared)."""

    id: uuid.UUID
    state: str
    to_address: str
    to_name: str
    subject: str
    body_text: str
    body_html: str
    message_id: str


class QueuedMessages(Sequence[Message]):
    """The messages `messages_queue` wrote, read as `Message` instances built on first
    access. A convocation writes thousands of rows and its caller reads none of them;
    building a model instance per row cost more than the row's INSERT."""

    def __init__(self, common: dict[str, Any], written: list[_Row]) -> None:
        self.common = common
        self.written = written
        self._built: dict[int, Message] = {}

    def __len__(self) -> int:
        return len(self.written)

    @overload
    def __getitem__(self, index: int) -> Message: ...

    @overload
    def __getitem__(self, index: slice) -> list[Message]: ...

    def __getitem__(self, index: int | slice) -> Message | list[Message]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        n = range(len(self))[index]  # IndexError as a list's, negative indexes too
        if n not in self._built:
            message = Message(**self.common, **self.written[n]._asdict())
            message._state.adding = False
            message._state.db = router.db_for_write(Message)
            self._built[n] = message
        return self._built[n]


def _messages_insert(rows: QueuedMessages) -> None:
    """INSERT the rows with one prepared statement executed for each (`executemany`).

    A convocation is thousands of rows. Django's `bulk_create` prepares every value of
    every row and, on PostgreSQL, quotes them into one statement per batch, which cost
    several times the INSERT itself (docs/performance.md). Here the values shared by all
    rows are converted once by their fields, as a save would; of those that differ, the
    texts need no conversion and the primary key is converted by its field's own rule
    (a UUID, or its hex on a database without a UUID type)."""
    if not rows:
        return
    connection = connections[router.db_for_write(Message)]
    fields = {f.attname: f for f in Message._meta.concrete_fields}
    shared = tuple(
        fields[name].get_db_prep_save(value, connection) for name, value in rows.common.items()
    )
    columns = [str(fields[name].column) for name in (*rows.common, *_Row._fields)]
    native_uuid = connection.features.has_native_uuid_field
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(Message._meta.db_table),
        ", ".join(quote(c) for c in columns),
        ", ".join(["%s"] * len(columns)),
    )
    with connection.cursor() as cursor:
        cursor.executemany(
            sql,
            [(*shared, r.id if native_uuid else r.id.hex, *r[1:]) for r in rows.written],
        )


def _attachments_insert(rows: QueuedMessages, messages: Sequence[Outgoing]) -> None:
    """The attachments of the queued rows, written as plain values (no model instance per
    file: a convocation attaches the same calendar entry to thousands of messages, whose
    bytes are converted once)."""
    connection = connections[router.db_for_write(Attachment)]
    native_uuid = connection.features.has_native_uuid_field
    content = Attachment._meta.get_field("content")
    prepared: dict[int, tuple[str, str, Any]] = {}

    def values(a: AttachmentIn) -> tuple[str, str, Any]:
        if id(a) not in prepared:
            prepared[id(a)] = (
                a.filename,
                a.content_type,
                content.get_db_prep_save(a.content, connection),
            )
        return prepared[id(a)]

    params = [
        (row.id if native_uuid else row.id.hex, *values(a))
        for row, out in zip(rows.written, messages, strict=True)
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
