"""The registry of reminder kinds. An app registers a kind in its own module (imported by
its AppConfig): a function that, for a date, lists the reminders due that day, each with a
key naming its occurrence (e.g. "INV-2026-014:60" for the 60-day step of an invoice).

    @reminder("dues.overdue", title="Overdue dues", every=dt.timedelta(days=1),
              statutory=True)
    def overdue(today: dt.date) -> Iterable[Due]: ...

`urbis send_reminders` runs the kinds whose next run has come; an occurrence already sent
(same kind and key) is never sent again, however often the command runs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from urbis.messaging.domain.outbox import Outgoing


@dataclass(frozen=True)
class Due:
    """One reminder occurrence: its key (unique within the kind) and its message."""

    key: str
    message: Outgoing
    reference: str = ""


Collect = Callable[[dt.date], Iterable[Due]]


@dataclass(frozen=True)
class ReminderKind:
    kind: str
    title: str
    every: dt.timedelta
    statutory: bool
    collect: Collect
    description: str = ""


REMINDERS: dict[str, ReminderKind] = {}


def reminder(
    kind: str,
    *,
    title: str,
    every: dt.timedelta = dt.timedelta(days=1),
    statutory: bool = False,
    description: str = "",
) -> Callable[[Collect], Collect]:
    """Register `collect(today) -> Iterable[Due]` as the reminder kind `kind`."""

    def register(collect: Collect) -> Collect:
        known = REMINDERS.get(kind)
        if known is not None and known.collect is not collect:
            raise ValueError(f"Two reminder kinds named '{kind}'.")
        REMINDERS[kind] = ReminderKind(
            kind=kind,
            title=title,
            every=every,
            statutory=statutory,
            collect=collect,
            description=description or (collect.__doc__ or "").strip(),
        )
        return collect

    return register
