"""A head of delegation's vote through its ballot link, checked and written in one statement.

The link's signature is read without the database (`ballot_links.ballot_link_read`); what it
cannot vouch for (the delegate still heads the member's delegation at the link's meeting,
the meeting's keys not revoked) is checked by the vote's statement itself, as a desk key is
(`statements.poll_vote`), and the poll is known from the facts this process keeps for it
(`queries.poll_ballot_facts`, with what a receipt shows of the poll): a vote is one round
trip. The first vote a process sees for a poll, a vote carried by proxy, a member that does
not count, and every vote on SQLite read the link's delegate and the poll through the ORM
and cast the vote as any other (`poll_vote_cast`), with the same words for every refusal.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import connection

from urbis.common.actor import Actor
from urbis.common.inputs import InputError
from urbis.governance import queries
from urbis.governance.ballot_links import (
    LINK_REFUSED,
    BallotLink,
    ballot_link_actor_label,
    ballot_link_holder,
)
from urbis.governance.domain.polls.answers import (
    POLL_CLOSED,
    VoteReceipt,
)
from urbis.governance.domain.polls.voting import (
    poll_marks_check,
    poll_vote_cast,
    statement_refuse,
    statement_vote,
)
from urbis.governance.models import Poll, PollMethod, Proxy

NOT_THIS_MEETING = "This poll is not one of this meeting's."
CLOSED = POLL_CLOSED  # the words a ballot shows for a vote after the close


class BallotLinkRefusedError(PermissionDenied):
    """A ballot link that no longer holds: its delegate no longer heads the delegation, or
    the meeting's keys were revoked since it was signed."""


@dataclass(frozen=True)
class LinkVote:
    """A vote recorded through a ballot link, with what its receipt shows: the poll (from
    its kept facts), the meeting's status, and whether the member carries proxies at the
    meeting (then its ballot shows more than the receipt)."""

    receipt: VoteReceipt
    facts: queries.BallotFacts
    status: str
    carries_proxies: bool


def poll_vote_cast_by_link(*, link: BallotLink, poll_id: int, option_ids: list[int]) -> LinkVote:
    """Record the vote of the link's member in the poll and answer its receipt.

    Refused as `poll_vote_cast` refuses, plus: a link that no longer holds
    (`BallotLinkRefusedError`) and a poll of another meeting than the link's (`InputError`
    on "poll"). Nothing is written when refused."""
    facts = queries.poll_ballot_facts_kept(poll_id) if connection.vendor == "postgresql" else None
    if facts is not None:
        if facts.meeting_id != link.meeting_id:
            raise InputError("poll", NOT_THIS_MEETING)
        if link.organisation_id in facts.electorate and facts.method != PollMethod.CONSENSUS:
            marks = poll_marks_check(facts, option_ids, facts.option_ids)
            voted = _cast_linked(facts, link, marks)
            if voted is not None:
                return voted
            queries.poll_ballot_facts_forget(poll_id)  # the poll was opened again since
    return _cast_through_the_orm(link, poll_id, option_ids)


def _cast_linked(facts: queries.BallotFacts, link: BallotLink, marks: list[int]) -> LinkVote | None:
    """The vote in one statement; None when the facts are of an earlier opening of the poll."""
    row, now, receipt = statement_vote(
        poll_id=facts.poll_id,
        organisation_id=link.organisation_id,
        organisation_name=None,  # the statement reads it
        marks=marks,
        secret=facts.secret,
        user_id=None,
        label=None,  # the statement names the link's delegate
        link=link,
        opened_at=facts.opened_at,
    )
    if not row.authorised:
        raise BallotLinkRefusedError(LINK_REFUSED)
    if row.state is None or row.meeting_id != link.meeting_id:
        raise InputError("poll", NOT_THIS_MEETING)
    if row.opened_at != facts.opened_at:
        return None
    name = row.organisation_name or ""
    if row.participation_id is None:
        statement_refuse(row, member=name, meeting_title=facts.meeting_title)
    assert row.status is not None
    voted = VoteReceipt(
        poll_id=facts.poll_id,
        organisation_id=link.organisation_id,
        organisation_name=name,
        recorded_at=now,
        receipt=receipt,
    )
    return LinkVote(voted, facts, row.status, row.carries_proxies)


def _cast_through_the_orm(link: BallotLink, poll_id: int, option_ids: list[int]) -> LinkVote:
    delegate = ballot_link_holder(link)
    if delegate is None:
        raise BallotLinkRefusedError(LINK_REFUSED)
    poll = (
        Poll.objects.select_related("agenda_item", "meeting")
        .filter(pk=poll_id, meeting_id=link.meeting_id)
        .order_by()  # (the model's order joins the meetings)
        .first()
    )
    if poll is None:
        raise InputError("poll", NOT_THIS_MEETING)
    voted = poll_vote_cast(
        poll=poll,
        organisation=delegate.organisation,
        option_ids=option_ids,
        actor=Actor.system(ballot_link_actor_label(delegate)),
    )
    carries = Proxy.objects.filter(meeting_id=link.meeting_id, holder_id=link.organisation_id)
    return LinkVote(voted, queries.poll_ballot_facts(poll), poll.meeting.status, carries.exists())
