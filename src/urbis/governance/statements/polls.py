"""A member's own vote in an open poll in one statement (`domain.poll_vote_cast`)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from urbis.governance import rules
from urbis.governance.statements.base import prepared_cursor

# A member's own vote in an open poll (not one carried by proxy, whose mandate is locked and
# counted through the ORM): the poll's share lock, the presence, the participation, the open
# ballot rows of a poll that is not secret, the counter slot and the audit record, in one
# statement. The poll is read under a share lock, as `domain.polls.slots._share_lock` reads
# it (votes hold it together; the close's `FOR UPDATE` waits for them, and a vote waiting on
# the close reads the closed state). Every write draws from `part`, which is empty unless the
# poll is open, the meeting not concluded and the member present, and the one participation
# per member and poll settles a second vote (ON CONFLICT DO NOTHING: `part` is then empty).
# The slot's rows are locked in the order of their ids, as `_raise_slot` locks them. The
# audit record matches what `audit_record` writes for the ORM path. Who may vote at all (the
# members that count) and which options the poll has are checked before, in Python, from
# what `queries.poll_ballot_facts` read once for the poll.
POLL_VOTE = """
WITH p AS (
    SELECT p.id, p.state, m.status,
           EXISTS (SELECT 1 FROM governance_checkin c
                   WHERE c.meeting_id = p.meeting_id AND c.organisation_id = %(organisation)s)
               AS present
    FROM governance_poll p
    JOIN governance_meeting m ON m.id = p.meeting_id
    WHERE p.id = %(poll)s
    FOR SHARE OF p
), part AS (
    INSERT INTO governance_pollparticipation
        (poll_id, organisation_id, proxy_holder_id, recorded_at, receipt)
    SELECT p.id, %(organisation)s, NULL, %(at)s, %(receipt)s FROM p
    WHERE p.state = %(open)s AND p.present AND p.status <> ALL(%(closed)s)
    ON CONFLICT (poll_id, organisation_id) DO NOTHING
    RETURNING id
), ballot AS (
    INSERT INTO governance_pollballot (poll_id, organisation_id, option_id)
    SELECT %(poll)s, %(organisation)s, mark
    FROM part CROSS JOIN unnest(%(marks)s::bigint[]) AS mark
    WHERE NOT %(secret)s
), slot AS (
    SELECT t.id FROM governance_polltally t
    WHERE t.poll_id = %(poll)s AND t.slot = %(slot)s AND EXISTS (SELECT 1 FROM part)
    ORDER BY t.id
    FOR UPDATE
), tally AS (
    UPDATE governance_polltally t
    SET votes = t.votes + CASE WHEN t.option_id = ANY(%(marks)s::bigint[]) THEN 1 ELSE 0 END
    FROM slot WHERE t.id = slot.id
), audit AS (
    INSERT INTO common_auditrecord
        (at, actor_id, actor_label, action, target_type, target_id, target_repr, before, after)
    SELECT %(at)s, %(user)s, %(label)s, 'poll.vote', 'governance.pollparticipation',
           part.id::text, LEFT(%(name)s || ' voted in poll ' || %(poll)s::text, 255), NULL,
           %(after)s::jsonb
    FROM part
)
SELECT p.state, p.status, COALESCE(p.present, false), part.id
FROM (SELECT 1) one
LEFT JOIN p ON true
LEFT JOIN part ON true
"""


@dataclass(frozen=True)
class PollVoteRow:
    """What the poll vote statement found and did; `participation_id` is None when it wrote
    nothing (the poll closed or missing, the meeting concluded, the member absent, or a
    vote of this member already recorded)."""

    state: str | None  # None: no such poll
    status: str | None  # the meeting's lifecycle status
    present: bool
    participation_id: int | None


def poll_vote(
    *,
    poll_id: int,
    organisation_id: int,
    organisation_name: str,
    marks: Collection[int],
    secret: bool,
    slot: int,
    at: dt.datetime,
    receipt: str,
    user_id: int | None,
    label: str,
    after: dict[str, Any],
) -> PollVoteRow:
    """One statement; `marks` must be options of the poll and fit it already, and the member
    one that counts. The caller raises the refusal from the row it returns."""
    params: dict[str, Any] = {
        "poll": poll_id,
        "organisation": organisation_id,
        "name": organisation_name,
        "marks": list(marks),
        "secret": secret,
        "slot": slot,
        "at": at,
        "receipt": receipt,
        "user": user_id,
        "label": label[:150],
        "after": json.dumps(after),
        "open": "open",
        "closed": sorted(rules.CLOSED_STATUSES),
    }
    with prepared_cursor() as cursor:
        cursor.execute(POLL_VOTE, params)
        return PollVoteRow(*cursor.fetchone())
