"""A check-in in one statement (`domain.attendance_check_in_by_id`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied

from urbis.governance import rules
from urbis.governance.desk import DeskKey
from urbis.governance.statements.base import (
    DESK_GUARD,
    DESK_KEY_REFUSED,
    desk_params,
    prepared_cursor,
)

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
        **desk_params(desk),
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
