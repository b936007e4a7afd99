"""What every governance page shares: the permission of the staff pages and the acting
caller. Inputs are read with `common.inputs` (`or_default` where a value typed by hand
shows the default rather than an error).
"""

from __future__ import annotations

from django.http import HttpRequest

from urbis.common.actor import Actor, actor_of

RUN = "governance.run_meeting"  # the rule of every staff page here (`@actor_required`)


def _actor(request: HttpRequest) -> Actor:
    """The actor `@actor_required` resolved."""
    actor = actor_of(request)
    assert actor is not None
    return actor
