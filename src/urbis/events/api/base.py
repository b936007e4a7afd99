"""The events router and the acting caller, which every write operation resolves."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from urbis.common.actor import Actor, actor_of

router = Router(tags=["events"])


def _actor(request: HttpRequest) -> Actor:
    """The actor `ACTOR_AUTH` resolved (the operation refuses a request without one)."""
    actor = actor_of(request)
    assert actor is not None
    return actor
