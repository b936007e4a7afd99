"""What every governance page shares: the permission of the staff pages and the parsing of
the few inputs (a register date, a form id, the acting caller) that must never be a 500.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest

from urbis.common.actor import Actor, actor_of
from urbis.common.inputs import InputError, optional, parse_date, parse_id

RUN = "governance.run_meeting"  # the rule of every staff page here (`@actor_required`)


def _on(request: HttpRequest) -> dt.date:
    """The `?on=` date of a register page; today when it is missing or not a date."""
    try:
        return optional(parse_date, request.GET.get("on"), field="on") or dt.date.today()
    except InputError:
        return dt.date.today()


def _id(value: object) -> int:
    """An id from a form (0, which names nothing, when it is missing or not an id)."""
    try:
        return optional(parse_id, value, field="id") or 0
    except InputError:
        return 0


def _actor(request: HttpRequest) -> Actor:
    """The actor `@actor_required` resolved."""
    actor = actor_of(request)
    assert actor is not None
    return actor
