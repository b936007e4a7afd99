"""An agenda item's vote in one statement (`domain.vote_cast_by_id`), and the item's share
lock of the ORM path."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.db import connection

from urbis.governance import rules
from urbis.governance.desk import DeskKey
from urbis.governance.models import Method
from urbis.governance.statements.base import DESK_GUARD, desk_params, prepared_cursor

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
        **desk_params(desk),
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
