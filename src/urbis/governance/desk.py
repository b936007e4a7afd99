"""Desk keys: how a check-in desk or a voting console signs its requests without a session.

A key is signed (`django.core.signing`, with its own salt) and names its holder, one meeting
and the meeting's key generation, so reading it costs no database round trip: during a roll
call the session and user look-ups were half the cost of a vote. What a signature cannot
know — that the holder is still active and still on the secretariat, that the meeting's keys
were not revoked since — is checked where the write happens: inside the check-in or vote
statement on PostgreSQL (`statements`), by `domain.desk_key_user` elsewhere. Keys are issued
and revoked by `domain.desk_key_issue` / `domain.desk_keys_revoke`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core import signing

from urbis.common import roles

SALT = "urbis.governance.desk-key"
MAX_AGE = dt.timedelta(hours=24)
# Who may hold one: those who run a meeting (`governance.run_meeting`: the secretariat).
HOLDER_ROLES = (roles.ADMIN, roles.STAFF)


@dataclass(frozen=True)
class DeskKey:
    """What a valid signature vouches for; the rest is checked with the write."""

    user_id: int
    username: str
    meeting_id: int
    meeting_slug: str
    generation: int


def desk_key_sign(*, user: Any, meeting: Any) -> str:
    payload = {
        "u": user.pk,
        "n": user.get_username(),
        "m": meeting.pk,
        "s": meeting.slug,
        "g": meeting.desk_key_generation,
    }
    return signing.dumps(payload, salt=SALT, compress=True)


def desk_key_read(token: str) -> DeskKey | None:
    """The key a token carries, or None when it is forged, altered or older than MAX_AGE."""
    try:
        p = signing.loads(token, salt=SALT, max_age=MAX_AGE)
        return DeskKey(int(p["u"]), str(p["n"]), int(p["m"]), str(p["s"]), int(p["g"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
