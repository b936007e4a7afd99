"""Sections that other apps add to an organisation's page.

members imports none of the apps above it; an app that has something to show on a member's
page registers the URL name of an htmx fragment taking the organisation's slug (from its
AppConfig.ready), and the page loads each fragment. A fragment answers an empty body to a
user who may not see it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

MEMBER_PAGE_PARTS: list[str] = []


def member_page_part_register(url_name: str) -> None:
    """Add the fragment `url_name` (one argument: the organisation's slug) to member pages."""
    if url_name not in MEMBER_PAGE_PARTS:
        MEMBER_PAGE_PARTS.append(url_name)


def member_page_part_urls(slug: str) -> list[str]:
    return [reverse(name, args=[slug]) for name in MEMBER_PAGE_PARTS]


# --- a focal point's own space (`/members/mine/`, `GET /api/v1/members/mine`) ----------------


@dataclass(frozen=True)
class MineRow:
    """One line of a section: its cells (text) and the links a focal point follows from it."""

    cells: list[str]
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, url)


@dataclass(frozen=True)
class MineSection:
    """What one app shows a focal point about its own member(s)."""

    key: str
    title: str
    columns: list[str]
    rows: list[MineRow]
    empty: str = "Nothing yet."
    note: str = ""


# A provider takes the user and the organisations it is the focal point of and answers a
# section (or None when it has nothing to say to this user).
MineProvider = Callable[[Any, list[Any]], "MineSection | None"]
MINE_SECTIONS: dict[str, MineProvider] = {}


def mine_section_register(key: str, provider: MineProvider) -> None:
    """Add a section to every focal point's own space (from an app's AppConfig.ready)."""
    MINE_SECTIONS[key] = provider


# The order a focal point reads them in; a section not named here comes last.
MINE_ORDER = ("invoices", "payments", "registrations", "prize", "meetings", "messages")


def mine_sections(user: Any, organisations: list[Any]) -> list[MineSection]:
    """Every registered section for this user, in `MINE_ORDER`."""
    sections = []
    keys = sorted(
        MINE_SECTIONS, key=lambda k: MINE_ORDER.index(k) if k in MINE_ORDER else len(MINE_ORDER)
    )
    for provider in (MINE_SECTIONS[k] for k in keys):
        section = provider(user, organisations)
        if section is not None:
            sections.append(section)
    return sections
