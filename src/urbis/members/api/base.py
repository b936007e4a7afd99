"""The members router and what its operations share: the caller, the organisation a rule is
checked on, the error responses of a write."""

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router

from urbis.common.actor import Actor, actor_of
from urbis.common.errors import ErrorOut as DetailOut
from urbis.common.errors import ErrorOut as ErrorsOut
from urbis.members import queries
from urbis.members.models import Organisation

router = Router(tags=["members"])

WRITE_ERRORS: dict[int, Any] = {401: DetailOut, 403: DetailOut, 422: ErrorsOut}


# --- helpers ---------------------------------------------------------------------------------


def _actor(request: HttpRequest) -> Actor:
    """The caller `ACTOR_AUTH` resolved and `@permission_required` authorised."""
    actor = actor_of(request)
    assert actor is not None  # the operation's auth answered 401 without one
    return actor


def _organisation(slug: str) -> Organisation:
    return get_object_or_404(Organisation, slug=slug)


def _organisation_of(request: HttpRequest, slug: str, **_: object) -> Organisation:
    """The organisation a rule is checked on (404 when there is none)."""
    return _organisation(slug)


def _with_state(org: Organisation) -> Organisation:
    return queries.with_state(Organisation.objects.all()).get(pk=org.pk)
