"""Sections that other apps add to an organisation's page.

members imports none of the apps above it; an app that has something to show on a member's
page registers the URL name of an htmx fragment taking the organisation's slug (from its
AppConfig.ready), and the page loads each fragment. A fragment answers an empty body to a
user who may not see it.
"""

from __future__ import annotations

from django.urls import reverse

MEMBER_PAGE_PARTS: list[str] = []


def member_page_part_register(url_name: str) -> None:
    """Add the fragment `url_name` (one argument: the organisation's slug) to member pages."""
    if url_name not in MEMBER_PAGE_PARTS:
        MEMBER_PAGE_PARTS.append(url_name)


def member_page_part_urls(slug: str) -> list[str]:
    return [reverse(name, args=[slug]) for name in MEMBER_PAGE_PARTS]
