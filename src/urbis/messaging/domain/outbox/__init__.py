"""Writes of the outbox: queue (in the caller's transaction), send (the worker), resend,
cancel.

Delivery is claimed with conditional UPDATEs: `queued → sending` for a chunk under a fresh
claim token, then `sending → sent` one message at a time right after the SMTP server accepted
it. A second worker, or the same task delivered twice, finds nothing to claim. A worker killed
mid-send leaves its claimed rows `sending`; the next run puts those older than
`STALE_AFTER` back in the queue with the same Message-ID, so nothing is lost, and the one
message that may have been accepted in the instant before the kill reaches the recipient's
mailbox under the same Message-ID (mail clients show it once).

One module per side of the outbox: `queueing` (what callers hand in, in their own
transaction), `sending` (the worker's claim, delivery, retries and recovery) and `staff`
(the secretariat's cancel and resend). Callers import from here.
"""

from urbis.messaging.domain.outbox.queueing import (
    AttachmentIn,
    Outgoing,
    message_queue,
    messages_queue,
)
from urbis.messaging.domain.outbox.sending import (
    BACKOFF_BASE,
    BACKOFF_MAX,
    CLAIM_CHUNK,
    STALE_AFTER,
    SendOutcome,
    backoff,
    messages_recover_stale,
    outbox_send,
)
from urbis.messaging.domain.outbox.staff import message_cancel, message_resend

__all__ = [
    "BACKOFF_BASE",
    "BACKOFF_MAX",
    "CLAIM_CHUNK",
    "STALE_AFTER",
    "AttachmentIn",
    "Outgoing",
    "SendOutcome",
    "backoff",
    "message_cancel",
    "message_queue",
    "message_resend",
    "messages_queue",
    "messages_recover_stale",
    "outbox_send",
]
