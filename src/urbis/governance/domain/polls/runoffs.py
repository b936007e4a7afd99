"""Run-offs: the next round of an election whose closed round left seats open.

Apart from the closing because it reuses both the closing's outcome and the opening.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from urbis.common.errors import Conflict
from urbis.governance.domain.polls.closing import _outcome_of
from urbis.governance.domain.polls.opening import _open
from urbis.governance.models import Poll, PollOption, PollState


def poll_runoff_open(*, poll: Poll, actor: Any) -> Poll:
    """Open the next round of an election or selection whose closed round left seats open:
    a poll of its own, linked to the round it follows, between the candidates that round
    named (the first two, or those tied), for the seats left, by the same method."""
    with transaction.atomic():
        locked = (
            Poll.objects.select_for_update(of=("self",))
            .select_related("meeting", "agenda_item")
            .get(pk=poll.pk)
        )
        if locked.state != PollState.CLOSED or locked.outcome not in {"runoff", "tie"}:
            raise Conflict(
                {"poll": "A run-off follows a closed round that left a seat open, not this poll."}
            )
        if Poll.objects.filter(previous=locked).exists():
            raise Conflict({"poll": "The run-off of this round is already open."})
        options = list(PollOption.objects.filter(poll=locked).order_by("position"))
        _, _, elected, runoff = _outcome_of(
            locked, options, locked.ballots_cast or 0, locked.members_present or 0
        )
        seats = locked.seats - len(elected)
        return _open(
            item=locked.agenda_item,
            kind=locked.kind,
            method=locked.method,
            seats=max(seats, 1),
            options=[o.candidate_id for o in runoff if o.candidate_id is not None],
            actor=actor,
            previous=locked,
        )
