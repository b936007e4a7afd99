"""Ballot links: a personal, single-meeting link with which a head of delegation votes
without an account.

A link is signed (`django.core.signing`, with its own salt) and names one delegate, that
delegate's member and one meeting, with the meeting's key generation. It holds no name and
no choice. Reading it costs no database round trip; what a signature cannot know — that the
delegate is still the member's head of delegation at that meeting, and that the meeting's
keys were not revoked since (`Meeting.desk_key_generation`: "Revoke every desk key" revokes
the ballot links too) — is checked by `ballot_link_delegate`, or, for a vote, by the vote's
own statement (`statements.poll_vote`). Whether the member may vote on the open poll
(present, eligible, not voted yet) is the vote's own check, as for any voter. Links are sent
by `domain.ballot_links.ballot_links_send`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core import signing

SALT = "urbis.governance.ballot-link"
# Long enough to be sent the day before and used through a two-day assembly.
MAX_AGE = dt.timedelta(days=4)


@dataclass(frozen=True)
class BallotLink:
    """What a valid signature vouches for; `ballot_link_delegate` checks the rest."""

    delegate_id: int
    organisation_id: int
    meeting_id: int
    generation: int


def ballot_link_sign(*, delegate: Any, meeting: Any) -> str:
    """The token of a delegate's link (ids only: a link may be forwarded or logged)."""
    payload = {
        "d": delegate.pk,
        "o": delegate.organisation_id,
        "m": meeting.pk,
        "g": meeting.desk_key_generation,
    }
    return signing.dumps(payload, salt=SALT, compress=True)


def ballot_link_read(token: str) -> BallotLink | None:
    """The link a token carries, or None when it is forged, altered or older than MAX_AGE."""
    if not token or len(token) > 500:
        return None
    try:
        p = signing.loads(token, salt=SALT, max_age=MAX_AGE)
        return BallotLink(int(p["d"]), int(p["o"]), int(p["m"]), int(p["g"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


LINK_REFUSED = "This ballot link is not valid (any more): ask the secretariat for a new one."


def ballot_link_delegate(token: str) -> Any | None:
    """The head of delegation a token still speaks for (with its meeting and member), or
    None: a bad signature, a revoked generation, a delegate no longer head of its member's
    delegation at that meeting."""
    link = ballot_link_read(token)
    return ballot_link_holder(link) if link is not None else None


def ballot_link_holder(link: BallotLink) -> Any | None:
    """The head of delegation a signed link still speaks for, or None (one query; a vote's
    statement checks the same itself, `statements.poll_vote`)."""
    from urbis.governance.models import Delegate

    delegate = (
        Delegate.objects.select_related("meeting", "organisation")
        .filter(
            pk=link.delegate_id,
            meeting_id=link.meeting_id,
            organisation_id=link.organisation_id,
            role=Delegate.Role.HEAD,
        )
        .order_by()  # (one at most; the model's order joins the members' names)
        .first()
    )
    if delegate is None or delegate.meeting.desk_key_generation != link.generation:
        return None
    return delegate


def ballot_link_actor_label(delegate: Any) -> str:
    """How audit records name a vote through a delegate's link (the vote's statement writes
    the same words)."""
    return f"ballot link of {delegate.name or delegate.position} ({delegate.organisation.name})"
