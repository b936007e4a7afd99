"""Reminder kinds of the prize, registered with messaging's registry.

Review deadline: an evaluator with reviews still pending in an open round is reminded when
the round closes within `REMIND_WITHIN` days; once per round and deadline (a deadline
moved later is a new occurrence)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.urls import reverse

from urbis.messaging.reminders import Due, reminder
from urbis.messaging.render import message_render
from urbis.messaging.unsubscribe import absolute
from urbis.prize.models import Assignment, Round

REMIND_WITHIN = dt.timedelta(days=3)


@reminder(
    "prize.review_deadline",
    title="Review deadline",
    every=dt.timedelta(days=1),
    statutory=True,
    description="To the evaluators with reviews pending in an open round that closes "
    "within three days; once per round and deadline.",
)
def review_deadline(today: dt.date) -> Iterable[Due]:
    pending: dict[tuple[int, int], list[Assignment]] = defaultdict(list)
    for a in (
        Assignment.objects.filter(
            submitted_at__isnull=True,
            round__status=Round.Status.OPEN,
            round__closes__gte=today,
            round__closes__lte=today + REMIND_WITHIN,
            evaluator__user__isnull=False,
        )
        .exclude(evaluator__user__email="")
        .select_related("round__edition", "evaluator__user", "application")
        .order_by("round_id", "evaluator__name", "application__reference")
    ):
        pending[(a.round_id, a.evaluator_id)].append(a)
    reviews_url = absolute(reverse("prize:my_reviews"))
    for (round_id, evaluator_id), assignments in pending.items():
        first = assignments[0]
        round_, evaluator = first.round, first.evaluator
        assert evaluator.user is not None
        yield Due(
            key=f"{round_id}:{evaluator_id}:{round_.closes.isoformat()}",
            reference=f"round:{round_id}",
            message=message_render(
                "prize/messages/review_deadline",
                {
                    "evaluator": evaluator,
                    "round": round_,
                    "edition": round_.edition,
                    "assignments": assignments,
                    "days_left": (round_.closes - today).days,
                    "reviews_url": reviews_url,
                },
                to_address=evaluator.user.email,
                to_name=evaluator.name,
            ),
        )
