"""Desk keys: how a check-in desk or a voting console signs its requests without a session.

A key is signed (`django.core.signing`, with its own salt) and names its holder, one meeting
and the meeting's key generation, so reading it costs no database round trip: during a roll
call the session and user look-ups were half the cost of a vote. What a signature cannot
know — that the holder is still active and still on the secretariat, that the meeting's keys
were not revoked since, that the holder's password and roles are those the key was signed
with (`credential_stamp`) — is checked where the write happens: inside the check-in or vote
statement on PostgreSQL (`statements`), by `domain.desk_key_user` elsewhere. Keys are issued
and revoked by `domain.desk_key_issue` / `domain.desk_keys_revoke`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
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
    meeting_id: int
    meeting_slug: str
    generation: int
    stamp: str


def credential_stamp(*, password: str, group_names: list[str], is_superuser: bool) -> str:
    """A digest of what makes the holder a holder: the password hash and the roles. A new
    password or a change of roles changes it, so every key signed before no longer holds.
    `statements.DESK_GUARD` computes the same digest in SQL (group names in code-point
    order, joined by the unit separator). It reveals neither: the password hash it digests
    is itself salted."""
    text = "\x1f".join([password, "\x1f".join(sorted(group_names)), str(is_superuser).lower()])
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()[:16]


def user_stamp(user: Any) -> str:
    return credential_stamp(
        password=user.password,
        group_names=list(user.groups.values_list("name", flat=True)),
        is_superuser=user.is_superuser,
    )


def desk_key_sign(*, user: Any, meeting: Any) -> str:
    """The key: ids, the meeting's generation and the holder's credential stamp; no name
    (a key is a bearer token and may be seen over a shoulder or in a log)."""
    payload = {
        "u": user.pk,
        "m": meeting.pk,
        "s": meeting.slug,
        "g": meeting.desk_key_generation,
        "c": user_stamp(user),
    }
    return signing.dumps(payload, salt=SALT, compress=True)


def desk_key_read(token: str) -> DeskKey | None:
    """The key a token carries, or None when it is forged, altered or older than MAX_AGE."""
    try:
        p = signing.loads(token, salt=SALT, max_age=MAX_AGE)
        return DeskKey(int(p["u"]), int(p["m"]), str(p["s"]), int(p["g"]), str(p["c"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
