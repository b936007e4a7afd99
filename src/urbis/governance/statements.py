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

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.backends.utils import CursorWrapper

from urbis.governance import rules
from urbis.governance.desk import HOLDER_ROLES, DeskKey
from urbis.governance.models import Method

# Whether the request may write: always for a signed-in session (checked before, in Python:
# `desk_user` is NULL); for a desk key, its holder must still be active and on the
# secretariat and the key's generation still the meeting's (not revoked). `scope` narrows it
# to what the key's meeting holds.
DESK_GUARD = """
    SELECT %(desk_user)s::bigint IS NULL OR EXISTS (
        SELECT 1 FROM auth_user u
        JOIN governance_meeting km ON km.id = %(desk_meeting)s
        WHERE u.id = %(desk_user)s AND u.is_active
          AND km.desk_key_generation = %(desk_generation)s
          AND LEFT(MD5(u.password || CHR(31) || (
              SELECT COALESCE(STRING_AGG(g2.name, CHR(31) ORDER BY g2.name COLLATE "C"), '')
              FROM auth_user_groups ug2 JOIN auth_group g2 ON g2.id = ug2.group_id
              WHERE ug2.user_id = u.id) || CHR(31) || u.is_superuser::text), 16)
              = %(desk_stamp)s
          AND (u.is_superuser OR EXISTS (
              SELECT 1 FROM auth_user_groups ug JOIN auth_group g ON g.id = ug.group_id
              WHERE ug.user_id = u.id AND g.name = ANY(%(desk_roles)s)))
          AND {scope}
    ) AS ok
"""

CHECK_IN = (
    """
WITH auth AS ("""
    + DESK_GUARD.format(scope="km.slug = %(slug)s")
    + """), d AS (
    SELECT d.id, d.meeting_id, d.organisation_id, d.mode, m.status, m.title AS meeting_title,
           COALESCE(NULLIF(d.name, ''), d.position) || ' (' || o.name || ')' AS label
    FROM governance_delegate d
    JOIN governance_meeting m ON m.id = d.meeting_id
    JOIN members_organisation o ON o.id = d.organisation_id
    WHERE d.id = %(delegate)s AND m.slug = %(slug)s AND (SELECT ok FROM auth)
), ins AS (
    INSERT INTO governance_checkin
        (meeting_id, delegate_id, organisation_id, mode, at, source, recorded_by_id)
    SELECT meeting_id, id, organisation_id, COALESCE(%(mode)s, mode), %(at)s, %(source)s,
           %(user)s
    FROM d
    WHERE d.status <> ALL(%(closed)s)
    ON CONFLICT (delegate_id) DO NOTHING
    RETURNING id, delegate_id, mode, at
), audit AS (
    INSERT INTO common_auditrecord
        (at, actor_id, actor_label, action, target_type, target_id, target_repr, before, after)
    SELECT %(at)s, %(user)s,
           COALESCE((SELECT username FROM auth_user WHERE id = %(user)s), %(label)s),
           'attendance.check_in', 'governance.checkin',
           ins.id::text, LEFT(d.label || ' at ' || %(hhmm)s, 255), NULL,
           jsonb_build_object('delegate', ins.delegate_id, 'mode', ins.mode,
                              'source', %(source)s::text)
    FROM ins JOIN d ON d.id = ins.delegate_id
)
SELECT a.ok, d.organisation_id, ins.mode, ins.at, old.mode, old.at, d.status, d.meeting_title
FROM auth a
LEFT JOIN d ON true
LEFT JOIN ins ON ins.delegate_id = d.id
LEFT JOIN governance_checkin old ON old.delegate_id = d.id
"""
)


DESK_KEY_REFUSED = (
    "This desk key does not hold here: revoked, issued for another meeting, or its holder "
    "may no longer run the meeting."
)


def _desk_params(desk: DeskKey | None) -> dict[str, Any]:
    return {
        "desk_user": desk.user_id if desk else None,
        "desk_meeting": desk.meeting_id if desk else None,
        "desk_generation": desk.generation if desk else None,
        "desk_stamp": desk.stamp if desk else None,
        "desk_roles": list(HOLDER_ROLES),
    }


def prepared_cursor() -> CursorWrapper:
    """A cursor whose statements psycopg prepares on the server once the connection has run
    them `prepare_threshold` times (settings: DATABASE_PREPARE_THRESHOLD).

    Django's cursors bind parameters on the client, so every statement reaches PostgreSQL as
    new text and is planned anew. This one binds them on the server; it is wrapped as
    Django wraps its own, so errors, execute wrappers and the query log behave the same.
    """
    from django.db.backends.postgresql.base import ServerBindingCursor

    connection.ensure_connection()
    connection.validate_thread_sharing()
    cursor_class: Any = ServerBindingCursor  # django-stubs knows it without its arguments
    raw = cursor_class(connection.connection)
    if connection.queries_logged:
        return connection.make_debug_cursor(raw)
    return connection.make_cursor(raw)


@dataclass(frozen=True)
class CheckInRow:
    delegate_id: int
    organisation_id: int
    mode: str
    at: dt.datetime
    created: bool


def check_in(
    *,
    slug: str,
    delegate_id: int,
    mode: str | None,
    at: dt.datetime,
    source: str,
    user_id: int | None,
    label: str,
    desk: DeskKey | None = None,
) -> CheckInRow | None:
    """One statement; None when the meeting has no such delegate, PermissionDenied when a
    desk key no longer holds. An entry made by a concurrent request that this statement
    cannot see yet is read back afterwards."""
    params: dict[str, Any] = {
        **_desk_params(desk),
        "slug": slug,
        "delegate": delegate_id,
        "mode": mode,
        "at": at,
        "source": source,
        "user": user_id,
        "label": label,
        "hhmm": f"{at:%H:%M}",
        "closed": sorted(rules.CLOSED_STATUSES),
    }
    with prepared_cursor() as cursor:
        cursor.execute(CHECK_IN, params)
        row = cursor.fetchone()
        authorised, organisation_id, new_mode, new_at, old_mode, old_at, status, title = row
        if not authorised:
            raise PermissionDenied(DESK_KEY_REFUSED)
        if organisation_id is None:
            return None
        if new_mode is not None:
            return CheckInRow(delegate_id, organisation_id, new_mode, new_at, True)
        if old_mode is None:
            rules.check_open(status, title)  # a concluded meeting takes no new entry
        if old_mode is None:  # a concurrent check-in committed after this statement began
            cursor.execute(
                "SELECT mode, at FROM governance_checkin WHERE delegate_id = %s", [delegate_id]
            )
            old_mode, old_at = cursor.fetchone()
        return CheckInRow(delegate_id, organisation_id, old_mode, old_at, False)


# The item is read under a share lock (votes do not wait for one another; a decision, which
# locks the item for update and sets `voting_closed`, waits for the votes in flight, and a
# vote waiting on the decision reads the item again once it commits: it finds it closed).
# A roll-call or secret-ballot vote: the item, the member, the preconditions of `vote_cast`,
# the vote, the ballot paper of a secret ballot and the audit record, in one statement. Every
# INSERT draws from `ok`, which is empty unless the item takes votes, is not decided and the
# member is present, so a refusal writes nothing; the one-vote-per-member constraint settles
# duplicates (ON CONFLICT DO NOTHING: `v` is then empty, and so are the ballot and the audit
# record). The audit record matches what `audit_record` writes for the ORM path: the target's
# text is `str(vote)` ("<member> on <meeting> · Agenda <n>: <title>: <choice or secret>").
VOTE = (
    """
WITH auth AS ("""
    + DESK_GUARD.format(
        scope="EXISTS (SELECT 1 FROM governance_agendaitem ki"
        " WHERE ki.id = %(item)s AND ki.meeting_id = km.id)"
    )
    + """), i AS (
    SELECT i.id, i.meeting_id, i.number, i.title, i.method, m.title AS meeting_title, m.status,
           (i.voting_closed OR EXISTS (
               SELECT 1 FROM governance_decision d WHERE d.agenda_item_id = i.id)) AS decided,
           EXISTS (SELECT 1 FROM governance_checkin c
                   WHERE c.meeting_id = i.meeting_id AND c.organisation_id = %(organisation)s)
               AS present
    FROM governance_agendaitem i
    JOIN governance_meeting m ON m.id = i.meeting_id
    WHERE i.id = %(item)s
    FOR SHARE OF i
), o AS (
    SELECT id, name FROM members_organisation WHERE id = %(organisation)s
), ok AS (
    SELECT i.id AS item_id, i.method, o.id AS organisation_id,
           CASE WHEN i.method = %(secret)s THEN '' ELSE %(choice)s END AS choice,
           o.name || ' on ' || i.meeting_title || ' · Agenda ' || i.number::text || ': '
               || i.title AS label
    FROM i CROSS JOIN o
    WHERE i.method = ANY(%(methods)s) AND NOT i.decided AND i.present AND (SELECT ok FROM auth)
      AND i.status <> ALL(%(closed)s)
), v AS (
    INSERT INTO governance_vote (agenda_item_id, organisation_id, choice, cast_at, cast_by_id)
    SELECT item_id, organisation_id, choice, %(at)s, %(user)s FROM ok
    ON CONFLICT (agenda_item_id, organisation_id) DO NOTHING
    RETURNING id, choice
), ballot AS (
    INSERT INTO governance_ballot (id, agenda_item_id, choice)
    SELECT %(ballot)s, ok.item_id, %(choice)s FROM ok CROSS JOIN v
    WHERE ok.method = %(secret)s
), audit AS (
    INSERT INTO common_auditrecord
        (at, actor_id, actor_label, action, target_type, target_id, target_repr, before, after)
    SELECT %(at)s, %(user)s,
           COALESCE((SELECT username FROM auth_user WHERE id = %(user)s), %(label)s),
           'vote.cast', 'governance.vote', v.id::text,
           LEFT(ok.label || ': ' || COALESCE(NULLIF(v.choice, ''), 'secret'), 255), NULL,
           jsonb_build_object('organisation', ok.organisation_id, 'choice', v.choice)
    FROM ok CROSS JOIN v
)
SELECT a.ok, i.id IS NOT NULL, i.method, i.number, COALESCE(i.decided, false),
       COALESCE(i.present, false), o.name, v.id, i.status, i.meeting_title
FROM auth a
LEFT JOIN i ON true
LEFT JOIN o ON true
LEFT JOIN v ON true
"""
)


@dataclass(frozen=True)
class VoteRow:
    """What the vote statement found and did; `vote_id` is None when it wrote nothing."""

    authorised: bool  # False: a desk key that no longer holds (or not for this item)
    item_found: bool
    method: str | None
    number: int | None
    decided: bool
    present: bool
    organisation_name: str | None  # None: no such organisation
    vote_id: int | None
    status: str | None  # the meeting's lifecycle status
    meeting_title: str | None


def vote(
    *,
    agenda_item_id: int,
    organisation_id: int,
    choice: str,
    voting_methods: Collection[str],
    at: dt.datetime,
    user_id: int | None,
    label: str,
    desk: DeskKey | None = None,
) -> VoteRow:
    """One statement. `choice` must be valid already; the statement writes only when the
    item's method is one of `voting_methods`, the item is not decided, the member is present
    and the desk key (if any) holds for the item's meeting; the caller raises the refusal
    from the row it returns."""
    params: dict[str, Any] = {
        **_desk_params(desk),
        "item": agenda_item_id,
        "organisation": organisation_id,
        "choice": choice,
        "secret": Method.SECRET_BALLOT.value,
        "methods": sorted(str(m) for m in voting_methods),
        "at": at,
        "user": user_id,
        "label": label,
        "ballot": uuid.uuid4(),  # the paper's random key, as `Ballot.id` defaults to
        "closed": sorted(rules.CLOSED_STATUSES),
    }
    with prepared_cursor() as cursor:
        cursor.execute(VOTE, params)
        return VoteRow(*cursor.fetchone())


def item_share_lock(agenda_item_id: int) -> None:
    """Take a share lock on an agenda item for the rest of the transaction (PostgreSQL): the
    ORM path of a vote, so that a decision (which locks the item for update) counts every
    vote already recorded and none after."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM governance_agendaitem WHERE id = %s FOR SHARE", [agenda_item_id]
        )


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
