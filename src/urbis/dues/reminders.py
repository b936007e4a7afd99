"""Reminder kinds of the dues app, registered with messaging's registry.

Overdue dues: the policy (how many days after the due date each reminder goes) is data, the
setting `URBIS_DUES_REMINDER_DAYS` (30, 60 and 90 days unless the secretariat decides
otherwise). A reminder goes to every focal point with an address; on a given day an invoice
gets at most one — the latest step it has reached — so a member found 95 days overdue the
first time is not sent three letters at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.db.models import Prefetch

from urbis.dues.queries.ledger import invoices_with_balance
from urbis.members.models import Contact
from urbis.messaging.reminders import Due, reminder
from urbis.messaging.render import message_render

DEFAULT_DAYS = (30, 60, 90)


def overdue_steps() -> Sequence[int]:
    days = getattr(settings, "URBIS_DUES_REMINDER_DAYS", DEFAULT_DAYS)
    return tuple(sorted({int(d) for d in days if int(d) > 0}))


def step_reached(days_overdue: int, steps: Sequence[int]) -> int | None:
    """The latest step `days_overdue` has reached, or None before the first."""
    reached = [s for s in steps if days_overdue >= s]
    return reached[-1] if reached else None


@reminder(
    "dues.overdue",
    title="Overdue dues",
    every=dt.timedelta(days=1),
    statutory=True,
    description="To the focal points of a member whose invoice is unpaid 30, 60 and 90 days "
    "after its due date (URBIS_DUES_REMINDER_DAYS).",
)
def dues_overdue(today: dt.date) -> Iterable[Due]:
    steps = overdue_steps()
    if not steps:
        return
    focal = Prefetch(
        "organisation__contacts",
        queryset=Contact.objects.filter(is_focal_point=True).exclude(email=""),
        to_attr="focal_points",
    )
    invoices = (
        invoices_with_balance()
        .filter(illustrative=False, balance__gt=0, due_on__lte=today - dt.timedelta(steps[0]))
        .prefetch_related(focal)
        .order_by("due_on", "number")
    )
    for invoice in invoices:
        days = (today - invoice.due_on).days
        step = step_reached(days, steps)
        if step is None:
            continue
        for contact in invoice.organisation.focal_points:  # type: ignore[attr-defined]
            context = {
                "invoice": invoice,
                "days": days,
                "step": step,
                "final": step == steps[-1],
                "contact": contact,
            }
            yield Due(
                key=f"{invoice.number}:{step}:{contact.pk}",
                reference=f"invoice:{invoice.number}",
                message=message_render(
                    "dues/messages/dues_overdue",
                    context,
                    to_address=contact.email,
                    to_name=contact.name,
                    language=contact.language,
                ),
            )
