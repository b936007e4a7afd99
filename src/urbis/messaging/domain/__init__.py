"""Every write of messaging: the outbox, opt-outs, reminders, the development sink."""

from urbis.messaging.domain.accounts import password_reset_queue, user_invite
from urbis.messaging.domain.batches import batch_queue
from urbis.messaging.domain.optout import optout_clear, optout_set
from urbis.messaging.domain.outbox import (
    AttachmentIn,
    Outgoing,
    SendOutcome,
    backoff,
    message_cancel,
    message_queue,
    message_resend,
    messages_queue,
    messages_recover_stale,
    outbox_send,
)
from urbis.messaging.domain.reminders import reminder_run, reminders_run_due

__all__ = [
    "AttachmentIn",
    "Outgoing",
    "SendOutcome",
    "backoff",
    "batch_queue",
    "message_cancel",
    "message_queue",
    "message_resend",
    "messages_queue",
    "messages_recover_stale",
    "optout_clear",
    "optout_set",
    "outbox_send",
    "password_reset_queue",
    "reminder_run",
    "reminders_run_due",
    "user_invite",
]
