"""Reads of the outbox: the filtered list, counts per state, a batch's delivery."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from urbis.messaging.models import Batch, Message, ReceivedMail, ReminderOccurrence, ReminderRun


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
    return (
        Batch.objects.select_related("created_by")
        .annotate(
            n=Count("messages"),
            sent=Count("messages", filter=Q(messages__state=Message.State.SENT)),
            failed=Count("messages", filter=Q(messages__state=Message.State.FAILED)),
            suppressed=Count("messages", filter=Q(messages__state=Message.State.SUPPRESSED)),
        )
        .order_by("-created_at", "-id")
    )


def received() -> QuerySet[ReceivedMail]:
    return ReceivedMail.objects.defer("raw")


@dataclass(frozen=True)
class ReminderRow:
    kind: str
    title: str
    description: str
    statutory: bool
    every: dt.timedelta
    last_run: dt.datetime | None
    last_sent: int
    next_run: dt.datetime
    occurrences: int


def reminders_overview() -> list[ReminderRow]:
    """Every registered reminder kind with its last run and its next one (two queries)."""
    from urbis.messaging.reminders import REMINDERS

    last: dict[str, ReminderRun] = {}
    for run in ReminderRun.objects.filter(kind__in=list(REMINDERS)).order_by("kind", "-at"):
        last.setdefault(run.kind, run)
    counts = dict(
        ReminderOccurrence.objects.filter(kind__in=list(REMINDERS))
        .order_by()
        .values_list("kind")
        .annotate(n=Count("id"))
    )
    rows = []
    for kind, spec in sorted(REMINDERS.items()):
        found = last.get(kind)
        rows.append(
            ReminderRow(
                kind=kind,
                title=spec.title,
                description=spec.description,
                statutory=spec.statutory,
                every=spec.every,
                last_run=found.at if found else None,
                last_sent=found.sent if found else 0,
                next_run=found.at + spec.every if found else timezone.now(),
                occurrences=counts.get(kind, 0),
            )
        )
    return rows
