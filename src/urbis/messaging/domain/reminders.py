"""Running the reminder kinds of the registry (`urbis.messaging.reminders`).

Each occurrence is claimed by inserting its (kind, key) row — unique in the database — in
the same transaction as its message: a second run, or two runs at once, find the key taken
and send nothing twice; a run that fails half-way leaves the occurrences it did not reach
for the next run."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from urbis.common.audit import audit_record
from urbis.messaging.domain.outbox import messages_queue
from urbis.messaging.models import ReminderOccurrence, ReminderRun
from urbis.messaging.reminders import REMINDERS, ReminderKind


@dataclass(frozen=True)
class RunOutcome:
    """What one run did: occurrences due, queued now, sent by an earlier run; `run_id` names
    the run's record (its audit record's target)."""

    kind: str
    due: int
    sent: int
    skipped: int
    run_id: int | None = None


def next_run(kind: ReminderKind, last: ReminderRun | None, *, now: dt.datetime) -> dt.datetime:
    """When a kind runs next: `every` after its last run, or now if it never ran."""
    return last.at + kind.every if last else now


def reminder_run(*, kind: str, today: dt.date, actor: Any) -> RunOutcome:
    """Run one reminder kind for `today`: queue every occurrence not sent before."""
    spec = REMINDERS.get(kind)
    if spec is None:
        raise ValidationError({"kind": f"No reminder kind '{kind}'."})
    dues = list(spec.collect(today))
    done = set(
        ReminderOccurrence.objects.filter(kind=kind, key__in=[d.key for d in dues]).values_list(
            "key", flat=True
        )
    )
    sent = 0
    for due in dues:
        if due.key in done:
            continue
        try:
            with transaction.atomic():
                occurrence = ReminderOccurrence.objects.create(kind=kind, key=due.key[:200])
                (message,) = messages_queue(
                    kind=f"reminder.{kind}",
                    messages=[due.message],
                    actor=actor,
                    statutory=spec.statutory,
                    reference=due.reference or f"{kind}:{due.key}",
                )
                occurrence.message = message
                occurrence.save(update_fields=["message"])
        except IntegrityError:  # another run took the key in the meantime
            continue
        done.add(due.key)
        sent += 1
    with transaction.atomic():
        run = ReminderRun.objects.create(kind=kind, sent=sent)
        audit_record(
            actor=actor,
            action="reminder.run",
            target=run,
            after={"kind": kind, "today": today, "due": len(dues), "sent": sent},
        )
    return RunOutcome(kind=kind, due=len(dues), sent=sent, skipped=len(dues) - sent, run_id=run.pk)


def reminders_run_due(
    *, today: dt.date, actor: Any, now: dt.datetime | None = None, force: bool = False
) -> list[RunOutcome]:
    """Run every registered kind whose next run has come (all of them with `force`)."""
    now = now or timezone.now()
    outcomes = []
    for kind in sorted(REMINDERS):
        last = ReminderRun.objects.filter(kind=kind).order_by("-at").first()
        if force or next_run(REMINDERS[kind], last, now=now) <= now:
            outcomes.append(reminder_run(kind=kind, today=today, actor=actor))
    return outcomes
