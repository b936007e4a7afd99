"""Opening a poll: its kind, method and majority checked against the statutes in force,
its options (motion choices or candidates) created with their masked counter slots.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from urbis.common.audit import audit_record
from urbis.common.errors import Conflict
from urbis.governance import queries, rules
from urbis.governance.domain.lifecycle import ensure_open
from urbis.governance.domain.polls.slots import _masks
from urbis.governance.models import (
    AgendaItem,
    Candidate,
    Choice,
    Decision,
    Poll,
    PollKind,
    PollMethod,
    PollOption,
    PollTally,
)
from urbis.governance.models.polls import TALLY_SLOTS
from urbis.governance.rules import majorities

MOTION_OPTIONS = [(Choice.FOR, "For"), (Choice.AGAINST, "Against"), (Choice.ABSTAIN, "Abstain")]


def _user(actor: Any) -> Any:
    user = getattr(actor, "user", actor)
    return user if getattr(user, "is_authenticated", False) else None


def _amends_statutes(item: AgendaItem) -> bool:
    return item.amendments.exists()


def _majority(item: AgendaItem, kind: str) -> tuple[str, str]:
    """The majority the statutes in force name for this poll's decision, and the article."""
    meeting = item.meeting
    voting = queries.voting_rule_on(meeting.date, meeting.body)
    if kind == PollKind.MOTION:
        decision_kind = majorities.decision_kind(
            item.kind if item.kind != "report" else "approval",
            amends_statutes=_amends_statutes(item),
        )
        if decision_kind in {"election", "selection"}:
            decision_kind = "approval"  # a motion on such an item (e.g. to confirm a slate)
    else:
        decision_kind = str(kind)
    try:
        return majorities.majority_for(decision_kind, voting.majorities), voting.article
    except rules.GovernanceError as exc:
        raise ValidationError({"kind": str(exc)}) from exc


def _check_shape(item: AgendaItem, kind: str, method: str, seats: int) -> None:
    if kind not in PollKind.values:
        raise ValidationError({"kind": f"'{kind}' is not one of motion, election, selection."})
    if method not in PollMethod.values:
        raise ValidationError(
            {"method": f"'{method}' is not one of {', '.join(PollMethod.values)}."}
        )
    if method == PollMethod.CONSENSUS and kind != PollKind.MOTION:
        raise ValidationError({"method": "Only a motion can be decided by consensus."})
    if seats < 1:
        raise ValidationError({"seats": "A poll fills at least one seat."})
    if kind != PollKind.ELECTION and seats != 1:
        raise ValidationError({"seats": f"A {kind} has one outcome: seats must be 1."})
    if item.kind == "report":
        raise ValidationError(
            {"item": f"Agenda {item.number} is a report: it is noted, not voted."}
        )


def _create_options(
    poll: Poll, kind: str, item: AgendaItem, options: Sequence[int] | None
) -> list[PollOption]:
    if kind == PollKind.MOTION:
        if options:
            raise ValidationError({"options": "A motion's options are for, against, abstain."})
        rows = [
            PollOption(poll=poll, label=label, position=i + 1, choice=choice)
            for i, (choice, label) in enumerate(MOTION_OPTIONS)
        ]
    else:
        slate = list(
            Candidate.objects.filter(agenda_item=item)
            .exclude(status=Candidate.Status.WITHDRAWN)
            .select_related("organisation")
            .order_by("order", "id")
        )
        if options is not None:
            wanted = list(dict.fromkeys(options))
            by_id = {c.pk: c for c in slate}
            unknown = [str(o) for o in wanted if o not in by_id]
            if unknown:
                raise ValidationError(
                    {"options": f"Not standing on agenda {item.number}: {', '.join(unknown)}."}
                )
            slate = [by_id[o] for o in wanted]
        if len(slate) < 2 and kind == PollKind.SELECTION:
            raise ValidationError({"options": "A selection needs at least two bids."})
        if not slate:
            raise ValidationError({"options": f"Agenda {item.number} has no candidates."})
        rows = [
            PollOption(
                poll=poll,
                label=c.label or c.organisation.name,
                position=i + 1,
                candidate=c,
            )
            for i, c in enumerate(slate)
        ]
    if kind == PollKind.ELECTION and poll.seats > len(rows):
        raise ValidationError(
            {"seats": f"{poll.seats} seats cannot be filled from {len(rows)} candidates."}
        )
    created = PollOption.objects.bulk_create(rows)
    PollTally.objects.bulk_create(
        PollTally(poll=poll, option=option, slot=slot, votes=mask)
        for option in created
        for slot, mask in enumerate(_masks(TALLY_SLOTS))
    )
    return created


def _open(
    *,
    item: AgendaItem,
    kind: str,
    method: str,
    seats: int,
    options: Sequence[int] | None,
    actor: Any,
    previous: Poll | None = None,
) -> Poll:
    locked = (
        AgendaItem.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=item.pk)
    )
    ensure_open(locked.meeting)
    if locked.voting_closed or Decision.objects.filter(agenda_item=locked).exists():
        raise Conflict({"item": f"Agenda {locked.number} is already decided."})
    _check_shape(locked, kind, method, seats)
    majority, article = _majority(locked, kind)
    if previous is not None:
        majority = majorities.PLURALITY  # a run-off round is decided by the most votes
    try:
        with transaction.atomic():
            poll = Poll.objects.create(
                meeting=locked.meeting,
                agenda_item=locked,
                kind=kind,
                method=method,
                seats=seats,
                round=previous.round + 1 if previous else 1,
                previous=previous,
                opened_at=timezone.now(),
                opened_by=_user(actor),
                majority=majority,
                article=article,
            )
    except IntegrityError as exc:
        current = queries.poll_open_for_meeting(locked.meeting)
        where = f" (agenda {current.agenda_item.number})" if current else ""
        raise Conflict(
            {"poll": f"A poll is still open at {locked.meeting}{where}: close it first."}
        ) from exc
    created = _create_options(poll, kind, locked, options)
    queries.poll_ballot_facts_forget(poll.pk)  # a test database may reuse a closed poll's id
    audit_record(
        actor=actor,
        action="poll.runoff" if previous else "poll.open",
        target=poll,
        after={
            "item": locked.pk,
            "kind": kind,
            "method": method,
            "seats": seats,
            "round": poll.round,
            "majority": majority,
            "options": [o.label for o in created],
        },
    )
    return poll


def poll_open(
    *,
    item: AgendaItem,
    kind: str,
    method: str,
    seats: int = 1,
    options: Sequence[int] | None = None,
    actor: Any,
) -> Poll:
    """Open a poll on an agenda item: a motion (for / against / abstain), an election
    (`seats` seats from the item's candidates, or the candidate ids in `options`) or a
    selection (one of the bids). One poll is open at a meeting at a time (a database
    constraint); an item already decided takes none."""
    with transaction.atomic():
        return _open(item=item, kind=kind, method=method, seats=seats, options=options, actor=actor)
