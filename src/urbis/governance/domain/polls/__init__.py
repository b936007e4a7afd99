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

One module per step of a poll's life: `opening`, `voting` (with `answers`, what a voter is
told, and `links`, a vote through a head of delegation's ballot link), `slots` (the locks
and the secret counters both of them share), `closing`, `runoffs`, and `proxies` (the
mandates a vote may carry). Callers import from here.
"""

from urbis.governance.domain.polls.answers import (
    AlreadyVotedError,
    NotEligibleError,
    PollClosedError,
    VoteReceipt,
)
from urbis.governance.domain.polls.closing import ITEM_METHOD, poll_close
from urbis.governance.domain.polls.links import (
    BallotLinkRefusedError,
    LinkVote,
    poll_vote_cast_by_link,
)
from urbis.governance.domain.polls.opening import MOTION_OPTIONS, poll_open
from urbis.governance.domain.polls.proxies import proxy_grant, proxy_revoke
from urbis.governance.domain.polls.runoffs import poll_runoff_open
from urbis.governance.domain.polls.slots import MASK_RANGE
from urbis.governance.domain.polls.voting import poll_vote_cast

__all__ = [
    "ITEM_METHOD",
    "MASK_RANGE",
    "MOTION_OPTIONS",
    "AlreadyVotedError",
    "BallotLinkRefusedError",
    "LinkVote",
    "NotEligibleError",
    "PollClosedError",
    "VoteReceipt",
    "poll_close",
    "poll_open",
    "poll_runoff_open",
    "poll_vote_cast",
    "poll_vote_cast_by_link",
    "proxy_grant",
    "proxy_revoke",
]
