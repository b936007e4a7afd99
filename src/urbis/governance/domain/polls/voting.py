"""Casting a vote in an open poll, in person or by proxy, under the poll's share lock.

The checks that need the lock (the poll still open, the proxy still held and within the
statute cap) run inside the vote's transaction; the database's one participation per
member and poll settles a double vote. On PostgreSQL a member's own vote is one prepared
statement (`statements.poll_vote`), checked against what `queries.poll_ballot_facts` read
once for the poll; a vote carried by proxy, and every vote on SQLite, goes through the ORM.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import secrets
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NoReturn

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from urbis.common.audit import audit_actor, audit_record
from urbis.governance import queries, statements
from urbis.governance.domain.polls.answers import (
    POLL_CLOSED,
    AlreadyVotedError,
    NotEligibleError,
    PollClosedError,
    VoteReceipt,
)
from urbis.governance.domain.polls.slots import _check_open, _raise_slot, _share_lock
from urbis.governance.models import (
    Poll,
    PollBallot,
    PollKind,
    PollMethod,
    PollParticipation,
    PollState,
    Proxy,
)
from urbis.governance.models.polls import TALLY_SLOTS
from urbis.members.models import Organisation

if TYPE_CHECKING:
    from urbis.governance.ballot_links import BallotLink


def poll_marks_check(
    poll: Poll | queries.BallotFacts, option_ids: Sequence[int], valid: frozenset[int]
) -> list[int]:
    """The marks, once they fit the poll (its kind and seats, from the poll or its facts)."""
    marks = list(option_ids)
    if len(set(marks)) != len(marks):
        raise ValidationError({"option_ids": "An option is marked once."})
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
        raise PollClosedError({"poll": POLL_CLOSED})
    _check_open(current.meeting.status, current.meeting.title)  # read again under the lock
    facts = queries.poll_ballot_facts(current)
    if proxy_holder is None and connection.vendor == "postgresql":
        if organisation.pk not in facts.electorate:  # the statutes' words for why not
            raise NotEligibleError(
                queries.vote_eligibility(
                    meeting=current.meeting, organisation=organisation, electorate=facts.electorate
                )
            )
        marks = poll_marks_check(current, option_ids, facts.option_ids)
        return _cast_in_one_statement(current, organisation, marks, actor)
    reason = queries.vote_eligibility(
        meeting=current.meeting,
        organisation=organisation,
        proxy_holder=proxy_holder,
        electorate=facts.electorate,
    )
    if reason is not None:
        raise NotEligibleError(reason)
    marks = poll_marks_check(current, option_ids, facts.option_ids)
    cap = (
        queries.voting_rule_on(current.meeting.date, current.meeting.body).proxy_cap
        if proxy_holder is not None
        else 0
    )
    now = timezone.now()
    try:
        with transaction.atomic():
            if _share_lock(current) != PollState.OPEN:
                raise PollClosedError({"poll": POLL_CLOSED})
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


def _cast_in_one_statement(
    poll: Poll, organisation: Organisation, marks: list[int], actor: Any
) -> VoteReceipt:
    """A member's own vote as one statement (PostgreSQL), once it is known to count and its
    marks to fit: the refusals the statement found, in the words of the ORM path."""
    user_id, label = audit_actor(actor)
    row, now, receipt = statement_vote(
        poll_id=poll.pk,
        organisation_id=organisation.pk,
        organisation_name=str(organisation),
        marks=marks,
        secret=poll.secret,
        user_id=user_id,
        label=label,
    )
    if row.participation_id is None:
        statement_refuse(row, member=str(organisation), meeting_title=poll.meeting.title)
    return VoteReceipt(
        poll_id=poll.pk,
        organisation_id=organisation.pk,
        organisation_name=organisation.name,
        recorded_at=now,
        receipt=receipt,
    )


def statement_vote(
    *,
    poll_id: int,
    organisation_id: int,
    organisation_name: str | None,
    marks: list[int],
    secret: bool,
    user_id: int | None,
    label: str | None,
    link: BallotLink | None = None,
    opened_at: dt.datetime | None = None,
) -> tuple[statements.PollVoteRow, dt.datetime, str]:
    """The vote as one statement (`statements.poll_vote`), with the time and the receipt
    code it was written with. Alone, the statement is its own transaction; within a caller's
    transaction it gets a savepoint, as the ORM path's block does: its rows share no
    transaction id with the caller's other votes."""
    after: dict[str, Any] = {"organisation": organisation_id}
    if not secret:
        after["options"] = marks
    now = timezone.now()
    receipt = secrets.token_hex(8)
    inner = transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext()
    with inner:
        row = statements.poll_vote(
            poll_id=poll_id,
            organisation_id=organisation_id,
            organisation_name=organisation_name,
            marks=marks,
            secret=secret,
            slot=secrets.randbelow(TALLY_SLOTS),
            at=now,
            receipt=receipt,
            user_id=user_id,
            label=label,
            after=after,
            link=link,
            opened_at=opened_at,
        )
    return row, now, receipt


def statement_refuse(row: statements.PollVoteRow, *, member: str, meeting_title: str) -> NoReturn:
    """Why the statement wrote no participation, in the words of the ORM path: the poll
    closed, the meeting closed, the member absent, or its vote already recorded."""
    if row.state != PollState.OPEN:
        raise PollClosedError({"poll": POLL_CLOSED})
    assert row.status is not None
    _check_open(row.status, meeting_title)
    if not row.present:
        raise NotEligibleError(f"{member} is not present at {meeting_title}.")
    raise AlreadyVotedError(
        {"organisation": f"{member} has already voted in this poll: one vote per member."}
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
