"""What a vote is answered: the receipt, and the refusals the API maps to 409 and 403.

Kept apart so that the voting, the proxies and the callers that translate refusals into
HTTP statuses share one definition.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from urbis.common.errors import Conflict

POLL_CLOSED = "This poll is closed: the vote was not recorded."


class PollClosedError(Conflict):
    """A vote on a poll that is closed (409 at the API)."""


class AlreadyVotedError(Conflict):
    """A second vote of a member in one poll (409 at the API)."""


class NotEligibleError(PermissionDenied):
    """A vote from someone the statutes do not let vote (403 at the API)."""


@dataclass(frozen=True)
class VoteReceipt:
    """What a voter is answered: its vote is recorded (never what it was)."""

    poll_id: int
    organisation_id: int
    organisation_name: str
    recorded_at: dt.datetime
    receipt: str
    proxy_holder: str = ""
