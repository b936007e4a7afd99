"""Polls: the chair opens a poll on an agenda item, members vote, the chair closes it.

A vote takes a share lock on the poll's row (`FOR SHARE`: votes run side by side) and the
close an exclusive one (`FOR UPDATE`): the close waits for every vote that found the poll
open to commit and counts it, and a vote arriving after the close finds the poll closed.
One participation per member and poll is a database constraint. A secret poll writes no
row that links a choice to its voter: the vote raises the counters of one of the poll's
`TALLY_SLOTS` slots, chosen at random, rewriting that slot of every option (the marked
ones by one, the others by zero); the slots start at random masks that sum to zero, and
the close adds them up into the options' totals and deletes them. No ballot row, order,
timestamp or transaction id ties a choice to a member (`docs/governance.md`, "Secret
ballots").
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, F, Sum, Value, When
from django.utils import timezone

from urbis.common.audit import audit_record
from urbis.common.errors import Conflict
from urbis.governance import queries, rules
from urbis.governance.domain.lifecycle import MeetingClosedError, ensure_open
from urbis.governance.domain.votes import decide_locked
from urbis.governance.models import (
    AgendaItem,
    Candidate,
    Choice,
    Decision,
    Meeting,
    Method,
    Poll,
    PollBallot,
    PollKind,
    PollMethod,
    PollOption,
    PollParticipation,
    PollState,
    PollTally,
    Proxy,
)
from urbis.governance.models.polls import TALLY_SLOTS
from urbis.governance.queries import PollResult
from urbis.governance.rules import majorities
from urbis.members.models import Organisation

ITEM_METHOD = {
    PollMethod.SHOW_OF_HANDS: Method.SHOW_OF_HANDS,
    PollMethod.ROLL_CALL: Method.ROLL_CALL,
    PollMethod.SECRET: Method.SECRET_BALLOT,
    PollMethod.CONSENSUS: Method.CONSENSUS,
}
"""The method a decision records for a poll's method."""

MOTION_OPTIONS = [(Choice.FOR, "For"), (Choice.AGAINST, "Against"), (Choice.ABSTAIN, "Abstain")]


class PollClosedError(Conflict):
    """A vote on a poll that is closed (409 at the API)."""


class AlreadyVotedError(Conflict):
    """A second vote of a member in one poll (409 at the API)."""


class NotEligibleError(PermissionDenied):
    """A vote from someone the statutes do not let vote (403 at the API)."""


@dataclass(frozen=True)
class VoteReceipt:
    """What a voter is answered: its vote is recorded (never what it was)."""

    poll_id: int
    organisation_id: int
    organisation_name: str
    recorded_at: dt.datetime
    receipt: str
    proxy_holder: str = ""


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


MASK_RANGE = 1_000_000
"""Each slot's mask but the last is drawn from ±MASK_RANGE; the last makes the sum zero."""


def _masks(slots: int) -> list[int]:
    """Random starting values of an option's counter slots, summing to zero: a slot read on
    its own (with the transaction that last wrote it) tells nothing of the votes in it."""
    masks = [secrets.randbelow(2 * MASK_RANGE + 1) - MASK_RANGE for _ in range(slots - 1)]
    return [*masks, -sum(masks)]


def _share_lock(poll: Poll) -> str:
    """The poll's state, read under a share lock held to the end of the transaction
    (PostgreSQL `FOR SHARE`: votes hold it together; the close's `FOR UPDATE` waits for
    them, and a vote waiting on the close reads the closed state once it commits), with
    the meeting's status read in the same query (a concluded meeting takes no vote). SQLite
    has one writer at a time: plain reads."""
    if connection.vendor != "postgresql":
        ensure_open(poll.meeting)
        return str(Poll.objects.values_list("state", flat=True).get(pk=poll.pk))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.state, m.status FROM governance_poll p"
            " JOIN governance_meeting m ON m.id = p.meeting_id WHERE p.id = %s FOR SHARE OF p",
            [poll.pk],
        )
        state, status = cursor.fetchone()
    _check_open(status, poll.meeting)
    return str(state)


def _raise_slot(poll_id: int, slot: int, marks: Sequence[int]) -> None:
    """Rewrite one counter slot of every option of the poll, the marked ones raised by one:
    the rows a vote touches say nothing of what it marked. On PostgreSQL the slot's rows are
    locked in the order of their ids first (two votes drawing the same slot would otherwise
    lock its rows in different orders and deadlock)."""
    if connection.vendor != "postgresql":
        PollTally.objects.filter(poll_id=poll_id, slot=slot).update(
            votes=F("votes") + Case(When(option_id__in=marks, then=Value(1)), default=Value(0))
        )
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE governance_polltally t"
            " SET votes = t.votes + CASE WHEN t.option_id = ANY(%s) THEN 1 ELSE 0 END"
            " FROM (SELECT id FROM governance_polltally WHERE poll_id = %s AND slot = %s"
            " ORDER BY id FOR UPDATE) locked WHERE t.id = locked.id",
            [list(marks), poll_id, slot],
        )


def _check_open(status: str, meeting: Meeting) -> None:
    try:
        rules.check_open(status, meeting.title)
    except rules.MeetingClosed as exc:
        raise MeetingClosedError({"meeting": str(exc)}) from exc


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


def _check_marks(poll: Poll, option_ids: Sequence[int]) -> list[int]:
    marks = list(option_ids)
    if len(set(marks)) != len(marks):
        raise ValidationError({"option_ids": "An option is marked once."})
    valid = set(PollOption.objects.filter(poll_id=poll.pk).values_list("pk", flat=True))
    unknown = [str(m) for m in marks if m not in valid]
    if unknown:
        raise ValidationError({"option_ids": f"Not an option of this poll: {', '.join(unknown)}."})
    if poll.kind == PollKind.ELECTION:
        if len(marks) > poll.seats:
            raise ValidationError(
                {"option_ids": f"Mark at most {poll.seats} candidates ({len(marks)} marked)."}
            )
    elif len(marks) != 1:
        what = "for, against or abstain" if poll.kind == PollKind.MOTION else "one bid"
        raise ValidationError({"option_ids": f"Mark exactly one option: {what}."})
    return marks


def poll_vote_cast(
    *,
    poll: Poll,
    organisation: Organisation,
    option_ids: list[int],
    actor: Any,
    proxy_holder: Organisation | None = None,
) -> VoteReceipt:
    """Record a member's vote in an open poll and answer a receipt.

    Refused: a closed poll (409), someone the statutes do not let vote — an observer, a
    member that does not count, an absent member (403), a second vote (409), marks that do
    not fit the poll (422). An election ballot marks up to `seats` candidates (none is a
    blank ballot, which counts in the turnout); a motion or selection marks one option.
    `proxy_holder`: the present member casting this vote on the member's dated proxy.

    What does not change while a poll is open (who may vote, which options the poll has) is
    checked before the lock. Under the poll's share lock: the state, the proxy (locked, so
    that a revocation and the holder's other proxy votes wait) and its cap, and the writes;
    other votes hold the same lock, so voters do not wait for one another."""
    # The state read here only refuses early; the lock below reads it again.
    current = (
        poll
        if Poll.meeting.is_cached(poll)
        else Poll.objects.select_related("meeting").get(pk=poll.pk)
    )
    if current.method == PollMethod.CONSENSUS:
        raise ValidationError({"poll": "A decision by consensus takes no votes."})
    if current.state != PollState.OPEN:
        raise PollClosedError({"poll": "This poll is closed: the vote was not recorded."})
    _check_open(current.meeting.status, current.meeting)  # read again under the lock
    reason = queries.vote_eligibility(
        meeting=current.meeting, organisation=organisation, proxy_holder=proxy_holder
    )
    if reason is not None:
        raise NotEligibleError(reason)
    marks = _check_marks(current, option_ids)
    cap = (
        queries.voting_rule_on(current.meeting.date, current.meeting.body).proxy_cap
        if proxy_holder is not None
        else 0
    )
    now = timezone.now()
    try:
        with transaction.atomic():
            if _share_lock(current) != PollState.OPEN:
                raise PollClosedError({"poll": "This poll is closed: the vote was not recorded."})
            if proxy_holder is not None:
                _check_proxy_locked(current, organisation, proxy_holder, cap)
            participation = PollParticipation.objects.create(
                poll_id=current.pk,
                organisation=organisation,
                proxy_holder=proxy_holder,
                recorded_at=now,
                receipt=secrets.token_hex(8),
            )
            if not current.secret:
                PollBallot.objects.bulk_create(
                    [
                        PollBallot(poll_id=current.pk, organisation=organisation, option_id=m)
                        for m in marks
                    ]
                )
            # One slot of every option is rewritten, the marked ones raised by one: the rows
            # a vote touches say nothing of what it marked.
            _raise_slot(current.pk, secrets.randbelow(TALLY_SLOTS), marks)
            after: dict[str, Any] = {"organisation": organisation.pk}
            if proxy_holder is not None:
                after["proxy_holder"] = proxy_holder.pk
            if not current.secret:
                after["options"] = marks
            audit_record(actor=actor, action="poll.vote", target=participation, after=after)
    except IntegrityError as exc:  # the database's one participation per member and poll
        raise AlreadyVotedError(
            {"organisation": f"{organisation} has already voted in this poll: one vote per member."}
        ) from exc
    return VoteReceipt(
        poll_id=current.pk,
        organisation_id=organisation.pk,
        organisation_name=organisation.name,
        recorded_at=now,
        receipt=participation.receipt,
        proxy_holder=proxy_holder.name if proxy_holder else "",
    )


def _check_proxy_locked(
    poll: Poll, organisation: Organisation, holder: Organisation, cap: int
) -> None:
    """Under the vote's transaction: the holder's mandates at the meeting locked (a
    revocation, and the holder's other proxy votes, wait), this one still held, and the
    holder's proxy votes in this poll within the statute cap."""
    grantors = set(
        Proxy.objects.select_for_update()
        .filter(meeting_id=poll.meeting_id, holder=holder)
        .values_list("grantor_id", flat=True)
    )
    if organisation.pk not in grantors:
        raise NotEligibleError(f"{holder} holds no proxy of {organisation} for {poll.meeting}.")
    carried = PollParticipation.objects.filter(poll_id=poll.pk, proxy_holder=holder).count()
    if carried >= cap:
        raise NotEligibleError(
            f"{holder} already carries {carried} proxy vote"
            f"{'s' if carried != 1 else ''} in this poll: the statutes allow {cap}."
        )


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


def proxy_grant(
    *,
    meeting: Meeting,
    grantor: Organisation,
    holder: Organisation,
    granted_on: dt.date,
    reference: str = "",
    actor: Any,
) -> Proxy:
    """Record a dated mandate: `holder` carries `grantor`'s vote at the meeting. Only where
    the statutes in force allow proxies; a holder carries at most their cap; both must be
    members that vote; the mandate is dated no later than the meeting."""
    voting = queries.voting_rule_on(meeting.date, meeting.body)
    if not voting.proxies_allowed:
        raise ValidationError(
            {"holder": f"The statutes in force do not allow proxies (Art. {voting.article})."}
        )
    if grantor.pk == holder.pk:
        raise ValidationError({"holder": "A member cannot hold its own proxy."})
    if granted_on > meeting.date:
        raise ValidationError(
            {"granted_on": f"A mandate is dated by the meeting ({meeting.date})."}
        )
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        ensure_open(locked)
        rule = queries.quorum_rule_on(locked.date, locked.body)
        voters = set(
            queries.quorum_members(locked, rule)
            .filter(pk__in=[grantor.pk, holder.pk])
            .values_list("pk", flat=True)
        )
        for field, org in (("grantor", grantor), ("holder", holder)):
            if org.pk not in voters:
                raise ValidationError({field: f"{org} is not a member that votes at {locked}."})
        held = Proxy.objects.filter(meeting=locked, holder=holder).count()
        if held >= voting.proxy_cap:
            raise ValidationError(
                {
                    "holder": f"{holder} already holds {held} prox{'ies' if held != 1 else 'y'}: "
                    f"the statutes allow {voting.proxy_cap} (Art. {voting.article})."
                }
            )
        if Proxy.objects.filter(meeting=locked, holder=grantor).exists():
            raise ValidationError({"grantor": f"{grantor} holds a proxy itself."})
        try:
            with transaction.atomic():
                proxy = Proxy.objects.create(
                    meeting=locked,
                    grantor=grantor,
                    holder=holder,
                    granted_on=granted_on,
                    reference=reference.strip(),
                )
        except IntegrityError as exc:
            raise Conflict({"grantor": f"{grantor} has already given its proxy."}) from exc
        audit_record(
            actor=actor,
            action="proxy.grant",
            target=proxy,
            after={
                "grantor": grantor.pk,
                "holder": holder.pk,
                "granted_on": granted_on.isoformat(),
            },
        )
    return proxy


def proxy_revoke(*, proxy: Proxy, actor: Any) -> None:
    """Withdraw a mandate before a poll it would be used in: the holder no longer carries
    the grantor's vote. Refused (409) on a concluded meeting, and once a vote was cast
    under it in the poll still open (that vote stands and is counted; revoke after the
    close). Votes cast under it in closed polls stand. The mandate row is deleted (one per
    grantor and meeting, so it can be given again); the audit record keeps what it was.

    The row is locked for update, as a proxy vote locks it: a vote in flight under the
    mandate commits first and the revocation is refused, or the revocation commits first
    and the vote finds no mandate."""
    with transaction.atomic():
        locked = (
            Proxy.objects.select_for_update(of=("self",))
            .select_related("meeting", "grantor", "holder")
            .filter(pk=proxy.pk)
            .first()
        )
        if locked is None:
            raise Conflict({"proxy": "This mandate has already been revoked."})
        try:
            ensure_open(locked.meeting)
        except MeetingClosedError as exc:  # a concluded meeting's record is locked: 409
            raise Conflict(exc.message_dict) from exc
        used = (
            PollParticipation.objects.filter(
                poll__meeting_id=locked.meeting_id,
                poll__state=PollState.OPEN,
                organisation_id=locked.grantor_id,
                proxy_holder_id=locked.holder_id,
            )
            .select_related("poll__agenda_item")
            .first()
        )
        if used is not None:
            raise Conflict(
                {
                    "proxy": f"{locked.holder} has already cast the vote of {locked.grantor} "
                    f"under this mandate in the open poll on agenda "
                    f"{used.poll.agenda_item.number}: revoke it after the poll closes."
                }
            )
        before = {
            "grantor": locked.grantor_id,
            "holder": locked.holder_id,
            "granted_on": locked.granted_on.isoformat(),
            "reference": locked.reference,
        }
        audit_record(actor=actor, action="proxy.revoke", target=locked, before=before)
        locked.delete()
