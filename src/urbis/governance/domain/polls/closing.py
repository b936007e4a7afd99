"""Closing a poll: the counter slots added up into the options' totals under an exclusive
lock, the outcome worked out by the statute majority, and the item's decision recorded.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from urbis.common.audit import audit_record
from urbis.common.errors import Conflict
from urbis.governance import queries, rules
from urbis.governance.domain.lifecycle import ensure_open
from urbis.governance.domain.votes import decide_locked
from urbis.governance.models import (
    AgendaItem,
    Candidate,
    Choice,
    Decision,
    Method,
    Poll,
    PollKind,
    PollMethod,
    PollOption,
    PollParticipation,
    PollState,
    PollTally,
)
from urbis.governance.queries import PollResult
from urbis.governance.rules import majorities

ITEM_METHOD = {
    PollMethod.SHOW_OF_HANDS: Method.SHOW_OF_HANDS,
    PollMethod.ROLL_CALL: Method.ROLL_CALL,
    PollMethod.SECRET: Method.SECRET_BALLOT,
    PollMethod.CONSENSUS: Method.CONSENSUS,
}
"""The method a decision records for a poll's method."""


def _elected_before(poll: Poll) -> list[Candidate]:
    """The candidates earlier rounds of this election already elected."""
    out: list[Candidate] = []
    previous = poll.previous
    while previous is not None:
        out = [
            o.candidate
            for o in previous.options.filter(elected=True).select_related("candidate")
            if o.candidate is not None
        ] + out
        previous = previous.previous
    return out


def _outcome_of(
    poll: Poll, options: list[PollOption], ballots: int, present: int
) -> tuple[str, str, list[PollOption], list[PollOption]]:
    """(outcome, arithmetic, elected options, run-off options) from the counters."""
    if poll.kind == PollKind.MOTION:
        by_choice = {o.choice: o.votes for o in options}
        if poll.method == PollMethod.CONSENSUS:
            return "adopted", f"adopted by consensus (Art. {poll.article})", [], []
        motion = majorities.motion_result(
            majority=poll.majority,
            votes_for=by_choice.get(Choice.FOR, 0),
            votes_against=by_choice.get(Choice.AGAINST, 0),
            votes_abstain=by_choice.get(Choice.ABSTAIN, 0),
            present=present,
            article=poll.article,
        )
        return ("adopted" if motion.adopted else "rejected"), motion.arithmetic, [], []
    result = majorities.election_result(
        majority=poll.majority,
        seats=poll.seats,
        standings=[majorities.Standing(o.pk, o.label, o.votes) for o in options],
        ballots_cast=ballots,
        runoff_round=poll.previous_id is not None,
        article=poll.article,
    )
    by_id = {o.pk: o for o in options}
    return (
        result.outcome,
        result.arithmetic,
        [by_id[k] for k in result.elected],
        [by_id[k] for k in result.runoff],
    )


def _count_tallies(poll: Poll) -> list[PollOption]:
    """Under the close's exclusive lock: each option's slots summed into its total (the
    masks cancel out), the totals stored and the slots deleted."""
    sums = dict(
        PollTally.objects.filter(poll=poll)
        .values("option_id")
        .annotate(n=Sum("votes"))
        .values_list("option_id", "n")
    )
    options = list(PollOption.objects.filter(poll=poll).order_by("position"))
    for option in options:
        option.votes += sums.get(option.pk) or 0
    PollOption.objects.bulk_update(options, ["votes"])
    PollTally.objects.filter(poll=poll).delete()
    return options


def poll_close(*, poll: Poll, actor: Any) -> PollResult:
    """Close a poll and count it under the exclusive lock, which waits for every vote holding
    the share lock: every vote answered as recorded is counted, none after. The statute
    majority is applied and its arithmetic stored; a final outcome is recorded as the item's
    decision (with the quorum as it stands) — an election fills the offices through the
    offices mechanism, a selection names the host. When the election needs a run-off, or
    the quorum is not met, nothing is decided."""
    with transaction.atomic():
        locked = (
            Poll.objects.select_for_update(of=("self",))
            .select_related("meeting", "agenda_item", "previous")
            .get(pk=poll.pk)
        )
        if locked.state != PollState.OPEN:
            raise Conflict({"poll": "This poll is already closed."})
        ensure_open(locked.meeting)
        item = (
            AgendaItem.objects.select_for_update(of=("self",))
            .select_related("meeting")
            .get(pk=locked.agenda_item_id)
        )
        options = _count_tallies(locked)
        ballots = PollParticipation.objects.filter(poll=locked).count()
        quorum = queries.quorum_for(locked.meeting)
        outcome, arithmetic, elected, runoff = _outcome_of(locked, options, ballots, quorum.present)
        if not quorum.met:
            arithmetic = (
                f"{arithmetic}; quorum not met (Art. 16(2)): {quorum.present} present, "
                f"{quorum.required} required: nothing is decided"
            )
            outcome, elected, runoff = "no_quorum", [], []
        for option in elected:
            option.elected = True
            option.save(update_fields=["elected"])
        locked.state = PollState.CLOSED
        locked.closed_at = timezone.now()
        locked.outcome = outcome
        locked.arithmetic = arithmetic
        locked.ballots_cast = ballots
        locked.members_present = quorum.present
        locked.members_eligible = quorum.eligible
        locked.save(
            update_fields=[
                "state",
                "closed_at",
                "outcome",
                "arithmetic",
                "ballots_cast",
                "members_present",
                "members_eligible",
            ]
        )
        if outcome in {"adopted", "rejected", "elected"}:
            by_choice = {o.choice: o.votes for o in options}
            selected = None
            if locked.kind != PollKind.MOTION:
                chosen = _elected_before(locked) + [o.candidate for o in elected if o.candidate]
                selected = [c.organisation for c in chosen]
            decide_locked(
                item=item,
                actor=actor,
                result=Decision.Result.REJECTED
                if outcome == "rejected"
                else Decision.Result.ADOPTED,
                method=ITEM_METHOD[PollMethod(locked.method)],
                votes=rules.Tally(
                    by_choice.get(Choice.FOR, 0),
                    by_choice.get(Choice.AGAINST, 0),
                    by_choice.get(Choice.ABSTAIN, 0),
                ),
                quorum=quorum,
                outcome=arithmetic,
                selected=selected,
                at=locked.closed_at,
            )
        audit_record(
            actor=actor,
            action="poll.close",
            target=locked,
            after={
                "outcome": outcome,
                "arithmetic": arithmetic,
                "ballots_cast": ballots,
                "counts": {o.label: o.votes for o in options},
                "runoff": [o.label for o in runoff],
            },
        )
    result = queries.poll_result(locked)
    assert result is not None
    return result
