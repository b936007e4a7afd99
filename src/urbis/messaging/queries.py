"""Reads of the outbox: the filtered list, counts per state, a batch's delivery."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from urbis.messaging.models import Batch, Message, ReceivedMail


def outbox(
    *, state: str = "", kind: str = "", recipient: str = "", batch: int | None = None
) -> QuerySet[Message]:
    """Messages newest first, filtered by state, kind and a part of the recipient's address
    or name. The bodies are left out of the list (they are read on the detail page)."""
    qs = Message.objects.defer("body_text", "body_html")
    if state:
        qs = qs.filter(state=state)
    if kind:
        qs = qs.filter(kind=kind)
    if recipient:
        qs = qs.filter(to_address__icontains=recipient.strip()) | qs.filter(
            to_name__icontains=recipient.strip()
        )
    if batch is not None:
        qs = qs.filter(batch_id=batch)
    return qs.order_by("-created_at", "-id")


def kinds() -> list[str]:
    return list(Message.objects.order_by("kind").values_list("kind", flat=True).distinct())


def state_counts(qs: QuerySet[Message] | None = None) -> dict[str, int]:
    rows = (qs if qs is not None else Message.objects.all()).order_by().values("state")
    counted = {r["state"]: r["n"] for r in rows.annotate(n=Count("id"))}
    return {s: counted.get(s, 0) for s in Message.State.values}


def batches() -> QuerySet[Batch]:
    return Batch.objects.select_related("created_by").annotate(n=Count("messages"))


def received(limit: int | None = None) -> QuerySet[ReceivedMail]:
    return ReceivedMail.objects.defer("raw")
