"""The router and what every meeting operation shares: the permission its writes need, an
id in the path bounded to the database's range, and the acting caller.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Path, Router

from urbis.common.actor import Actor, actor_of
from urbis.common.inputs import MAX_ID

router = Router(tags=["governance: meetings"])

# An id in the path: out of range is a 422 naming it, never a database overflow.
_ID = Path(..., ge=1, le=MAX_ID)


RUN = "governance.run_meeting"  # every write of this module


def _actor(request: HttpRequest) -> Actor:
    """The actor `ACTOR_AUTH` resolved and `@permission_required` allowed."""
    actor = actor_of(request)
    assert actor is not None
    return actor
