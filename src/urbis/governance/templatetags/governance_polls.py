"""The results of a meeting's closed polls, for its public page (and wherever a page shows
them): `{% poll_results meeting %}`. An open poll shows nothing here: a result is public
once the chair closes the poll, and a secret ballot's result is its totals only."""

from __future__ import annotations

from typing import Any

from django import template

from urbis.governance.views_console import closed_polls

register = template.Library()


@register.inclusion_tag("governance/ballot/_results.html")
def poll_results(meeting: Any) -> dict[str, Any]:
    return {"meeting": meeting, "closed": closed_polls(meeting)}
