"""The locks and secret counters a vote and the close share.

A vote takes the poll's row under a share lock and raises one random counter slot of every
option; the slots start at random masks that sum to zero, so no slot read alone tells a
vote. Grouped because the opening (which draws the masks), the vote and the close must
agree on them.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from django.db import connection
from django.db.models import Case, F, Value, When

from urbis.governance import rules
from urbis.governance.domain.lifecycle import MeetingClosedError, ensure_open
from urbis.governance.models import Poll, PollTally

MASK_RANGE = 1_000_000
"""Each slot's mask but the last is drawn from ±MASK_RANGE; the last makes the sum zero."""


def _masks(slots: int) -> list[int]:
    """Random starting values of an option's counter slots, summing to zero: a slot read on
    its own (with the transaction that last wrote it) tells nothing of the votes in it."""
    masks = [secrets.randbelow(2 * MASK_RANGE + 1) - MASK_RANGE for _ in range(slots - 1)]
    return [*masks, -sum(masks)]


def _share_lock(poll: Poll) -> str:
    """The poll's state, read under a share lock held to the end of the transaction
    (PostgreSQL `FOR SHARE`: votes hold it together; the close's `FOR UPDATE` waits for
    them, and a vote waiting on the close reads the closed state once it commits), with
    the meeting's status read in the same query (a concluded meeting takes no vote). SQLite
    has one writer at a time: plain reads."""
    if connection.vendor != "postgresql":
        ensure_open(poll.meeting)
        return str(Poll.objects.values_list("state", flat=True).get(pk=poll.pk))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.state, m.status FROM governance_poll p"
            " JOIN governance_meeting m ON m.id = p.meeting_id WHERE p.id = %s FOR SHARE OF p",
            [poll.pk],
        )
        state, status = cursor.fetchone()
    _check_open(status, poll.meeting.title)
    return str(state)


def _raise_slot(poll_id: int, slot: int, marks: Sequence[int]) -> None:
    """Rewrite one counter slot of every option of the poll, the marked ones raised by one:
    the rows a vote touches say nothing of what it marked. On PostgreSQL the slot's rows are
    locked in the order of their ids first (two votes drawing the same slot would otherwise
    lock its rows in different orders and deadlock)."""
    if connection.vendor != "postgresql":
        PollTally.objects.filter(poll_id=poll_id, slot=slot).update(
            votes=F("votes") + Case(When(option_id__in=marks, then=Value(1)), default=Value(0))
        )
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE governance_polltally t"
            " SET votes = t.votes + CASE WHEN t.option_id = ANY(%s) THEN 1 ELSE 0 END"
            " FROM (SELECT id FROM governance_polltally WHERE poll_id = %s AND slot = %s"
            " ORDER BY id FOR UPDATE) locked WHERE t.id = locked.id",
            [list(marks), poll_id, slot],
        )


def _check_open(status: str, meeting_title: str) -> None:
    try:
        rules.check_open(status, meeting_title)
    except rules.MeetingClosed as exc:
        raise MeetingClosedError({"meeting": str(exc)}) from exc
