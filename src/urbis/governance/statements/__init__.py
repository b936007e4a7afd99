"""Single-statement writes for the hot path of a live assembly (PostgreSQL).

During check-in hundreds of delegates arrive within minutes. Through the ORM a check-in is a
delegate lookup, BEGIN, two INSERTs (the register row and its audit record) and COMMIT: five
round trips. Here the same write is one statement: PostgreSQL runs a statement with
data-modifying CTEs atomically, so the register row and its audit record are written
together or not at all, and the one-entry-per-delegate constraint still settles races
(ON CONFLICT DO NOTHING). `domain.attendance_check_in_by_id` uses it on PostgreSQL and the
ORM path elsewhere; tests on both databases assert the same rows and audit records.

A vote is the same case during a roll call: through the ORM it is the item, the member,
the preconditions, a transaction with the vote (and the ballot paper) and its audit record:
about nine round trips. `vote` makes it one (`domain.vote_cast_by_id`).

A desk or console that signs its requests with a desk key (`desk.py`) instead of a session
is checked in the same statement (`DESK_GUARD`): its holder active and on the secretariat,
the key not revoked, the delegate or item of the key's meeting. Nothing is written otherwise.

Both statements run on a server-side binding cursor (`prepared_cursor`), so that PostgreSQL
plans them once per connection instead of once per request: planning these CTEs costs
about three times what executing them does.
"""

from urbis.governance.statements.attendance import CHECK_IN, CheckInRow, check_in
from urbis.governance.statements.base import (
    DESK_GUARD,
    DESK_KEY_REFUSED,
    prepared_cursor,
)
from urbis.governance.statements.polls import POLL_VOTE, PollVoteRow, poll_vote
from urbis.governance.statements.votes import VOTE, VoteRow, item_share_lock, vote

__all__ = [
    "CHECK_IN",
    "DESK_GUARD",
    "DESK_KEY_REFUSED",
    "POLL_VOTE",
    "VOTE",
    "CheckInRow",
    "PollVoteRow",
    "VoteRow",
    "check_in",
    "item_share_lock",
    "poll_vote",
    "prepared_cursor",
    "vote",
]
