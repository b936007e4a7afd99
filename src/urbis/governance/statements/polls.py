"""A member's own vote in an open poll in one statement (`domain.poll_vote_cast`), with the
ballot link it came through checked in the same statement (`domain.poll_vote_cast_by_link`)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from urbis.governance import rules
from urbis.governance.ballot_links import BallotLink
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
#
# A vote through a ballot link (`link_delegate` not NULL) writes only if what the link's
# signature cannot vouch for still holds (`ballot_links.ballot_link_delegate` checks the
# same through the ORM): the delegate is still the head of the member's delegation at the
# link's meeting, the meeting's keys were not revoked since (its key generation), and the
# poll is that meeting's. `opened_at`, when given, is the opening the caller's kept facts
# were read for: a poll opened again under the same id (test databases) writes nothing.
# The audit label and the member's name are then read here too ("ballot link of <name or
# position> (<member>)", as `views_ballot` names the link's actor); whether the member
# carries proxies at the meeting tells the ballot whether a receipt alone answers it.
POLL_VOTE = """
WITH link AS (
    SELECT COALESCE(NULLIF(ld.name, ''), ld.position) AS who
    FROM governance_delegate ld
    JOIN governance_meeting lm ON lm.id = ld.meeting_id
    WHERE ld.id = %(link_delegate)s AND ld.meeting_id = %(link_meeting)s
      AND ld.organisation_id = %(organisation)s AND ld.role = %(head)s
      AND lm.desk_key_generation = %(link_generation)s
), o AS (
    SELECT name FROM members_organisation WHERE id = %(organisation)s
), guard AS (
    SELECT %(link_delegate)s::bigint IS NULL OR EXISTS (SELECT 1 FROM link) AS ok
), p AS (
    SELECT p.id, p.state, p.meeting_id, p.opened_at, m.status,
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
      AND (SELECT ok FROM guard)
      AND (%(link_meeting)s::bigint IS NULL OR p.meeting_id = %(link_meeting)s)
      AND (%(opened_at)s::timestamptz IS NULL OR p.opened_at = %(opened_at)s)
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
    SELECT %(at)s, %(user)s,
           LEFT(COALESCE(%(label)s,
                         'ballot link of ' || (SELECT who FROM link) || ' (' || o.name || ')'),
                150),
           'poll.vote', 'governance.pollparticipation',
           part.id::text,
           LEFT(COALESCE(%(name)s, o.name) || ' voted in poll ' || %(poll)s::text, 255), NULL,
           %(after)s::jsonb
    FROM part LEFT JOIN o ON true
)
SELECT p.state, p.status, COALESCE(p.present, false), part.id, g.ok, o.name, p.meeting_id,
       p.opened_at,
       %(link_delegate)s::bigint IS NOT NULL AND EXISTS (
           SELECT 1 FROM governance_proxy x
           WHERE x.meeting_id = p.meeting_id AND x.holder_id = %(organisation)s)
FROM guard g
LEFT JOIN p ON true
LEFT JOIN part ON true
LEFT JOIN o ON true
"""


@dataclass(frozen=True)
class PollVoteRow:
    """What the poll vote statement found and did; `participation_id` is None when it wrote
    nothing (the poll closed or missing, the meeting concluded, the member absent, a vote of
    this member already recorded, or a ballot link that no longer holds or holds for another
    meeting, or a poll opened again since the caller's facts were read)."""

    state: str | None  # None: no such poll
    status: str | None  # the meeting's lifecycle status
    present: bool
    participation_id: int | None
    authorised: bool  # False: the ballot link no longer holds
    organisation_name: str | None
    meeting_id: int | None
    opened_at: dt.datetime | None
    carries_proxies: bool  # (asked of a ballot link's vote only)


def poll_vote(
    *,
    poll_id: int,
    organisation_id: int,
    organisation_name: str | None,
    marks: Collection[int],
    secret: bool,
    slot: int,
    at: dt.datetime,
    receipt: str,
    user_id: int | None,
    label: str | None,
    after: dict[str, Any],
    link: BallotLink | None = None,
    opened_at: dt.datetime | None = None,
) -> PollVoteRow:
    """One statement; `marks` must be options of the poll and fit it already, and the member
    one that counts. `link`: the ballot link the vote came through (its member is
    `organisation_id`), checked here; the audit label and the member's name, when None, are
    the link's. The caller raises the refusal from the row it returns."""
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
        "label": label[:150] if label is not None else None,
        "after": json.dumps(after),
        "open": "open",
        "closed": sorted(rules.CLOSED_STATUSES),
        "link_delegate": link.delegate_id if link else None,
        "link_meeting": link.meeting_id if link else None,
        "link_generation": link.generation if link else None,
        "head": "head",
        "opened_at": opened_at,
    }
    with prepared_cursor() as cursor:
        cursor.execute(POLL_VOTE, params)
        return PollVoteRow(*cursor.fetchone())
