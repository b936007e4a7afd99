"""The results of a meeting's closed polls, for its public page (and wherever a page shows
them): `{% poll_results meeting %}`. An open poll shows nothing here: a result is public
once the chair closes the poll, and a secret ballot's result is its totals only."""

from __future__ import annotations

from typing import Any

from django import template

from urbis.governance.models import Poll

register = template.Library()


@register.inclusion_tag("governance/ballot/_results.html")
def poll_results(meeting: Any) -> dict[str, Any]:
    polls = (
        Poll.objects.filter(meeting=meeting, state="closed")
        .select_related("agenda_item")
        .prefetch_related("options")
        .order_by("agenda_item__number", "round", "opened_at", "pk")
    )
    return {"meeting": meeting, "polls": list(polls)}
