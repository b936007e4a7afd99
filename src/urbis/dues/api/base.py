"""The dues router and what its operations share: the caller, the member a rule is checked on."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router

from urbis.common.actor import Actor, actor_of
from urbis.members.models import Organisation

router = Router(tags=["dues"])


def _actor(request: HttpRequest) -> Actor:
    """The caller `ACTOR_AUTH` resolved and `@permission_required` authorised."""
    actor = actor_of(request)
    assert actor is not None  # the operation's auth answered 401 without one
    return actor


def _member(request: HttpRequest, slug: str, **_: object) -> Organisation:
    """The member whose dues the URL names: what `dues.view_dues` is checked on."""
    return get_object_or_404(Organisation, slug=slug[:200])
