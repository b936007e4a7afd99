"""Single-statement writes for the hot path of a live assembly (PostgreSQL).

During check-in hundreds of delegates arrive within minutes. Through the ORM a check-in is a
delegate lookup, BEGIN, two INSERTs (the register row and its audit record) and COMMIT: five
round trips. Here the same write is one statement: PostgreSQL runs a statement with
data-modifying CTEs atomically, so the register row and its audit record are written
together or not at all, and the one-entry-per-delegate constraint still settles races
(ON CONFLICT DO NOTHING). `domain.attendance_check_in_by_id` uses it on PostgreSQL and the
ORM path elsewhere; tests on both databases assert the same rows and audit records.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection

CHECK_IN = """
WITH d AS (
    SELECT d.id, d.meeting_id, d.organisation_id, d.mode,
           COALESCE(NULLIF(d.name, ''), d.position) || ' (' || o.name || ')' AS label
    FROM governance_delegate d
    JOIN governance_meeting m ON m.id = d.meeting_id
    JOIN members_organisation o ON o.id = d.organisation_id
    WHERE d.id = %(delegate)s AND m.slug = %(slug)s
), ins AS (
    INSERT INTO governance_checkin
        (meeting_id, delegate_id, organisation_id, mode, at, source, recorded_by_id)
    SELECT meeting_id, id, organisation_id, COALESCE(%(mode)s, mode), %(at)s, %(source)s,
           %(user)s
    FROM d
    ON CONFLICT (delegate_id) DO NOTHING
    RETURNING id, delegate_id, mode, at
), audit AS (
    INSERT INTO common_auditrecord
        (at, actor_id, actor_label, action, target_type, target_id, target_repr, before, after)
    SELECT %(at)s, %(user)s, %(label)s, 'attendance.check_in', 'governance.checkin',
           ins.id::text, LEFT(d.label || ' at ' || %(hhmm)s, 255), NULL,
           jsonb_build_object('delegate', ins.delegate_id, 'mode', ins.mode,
                              'source', %(source)s::text)
    FROM ins JOIN d ON d.id = ins.delegate_id
)
SELECT d.organisation_id, ins.mode, ins.at, old.mode, old.at
FROM d
LEFT JOIN ins ON ins.delegate_id = d.id
LEFT JOIN governance_checkin old ON old.delegate_id = d.id
"""


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
) -> CheckInRow | None:
    """One statement; None when the meeting has no such delegate. An entry made by a
    concurrent request that this statement cannot see yet is read back afterwards."""
    params: dict[str, Any] = {
        "slug": slug,
        "delegate": delegate_id,
        "mode": mode,
        "at": at,
        "source": source,
        "user": user_id,
        "label": label,
        "hhmm": f"{at:%H:%M}",
    }
    with connection.cursor() as cursor:
        cursor.execute(CHECK_IN, params)
        row = cursor.fetchone()
        if row is None:
            return None
        organisation_id, new_mode, new_at, old_mode, old_at = row
        if new_mode is not None:
            return CheckInRow(delegate_id, organisation_id, new_mode, new_at, True)
        if old_mode is None:  # a concurrent check-in committed after this statement began
            cursor.execute(
                "SELECT mode, at FROM governance_checkin WHERE delegate_id = %s", [delegate_id]
            )
            old_mode, old_at = cursor.fetchone()
        return CheckInRow(delegate_id, organisation_id, old_mode, old_at, False)
