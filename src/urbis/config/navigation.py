"""The site's navigation, declared as data: which links each role sees, in which group.

A link is shown to a user when its audience says so; the audience names a role predicate of
`urbis.common.roles`, never a permission of its own (the page still checks its rule). To add
a page to the menu, append a `Link` to `NAV` in the group it belongs to; the context
processor `navigation` hands the visible links to `base.html`, and
`tests/workspace/test_reachability.py` checks that every page a role may open is reached from
what this menu shows it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from urbis.common import roles as role_rules


def _everyone(user: Any) -> bool:
    return True


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _focal_point(user: Any) -> bool:
    return role_rules.has_role(user, role_rules.FOCAL_POINT) and not user.is_superuser


def _excom_not_secretariat(user: Any) -> bool:
    return role_rules.is_excom(user) and not role_rules.is_secretariat(user)


def _anonymous(user: Any) -> bool:
    return not _signed_in(user)


# Who sees a link: a name (used in NAV) → a predicate over the user.

AUDIENCES: dict[str, Callable[[Any], bool]] = {
    "everyone": _everyone,
    "signed_in": _signed_in,
    "anonymous": _anonymous,
    "secretariat": role_rules.is_secretariat,
    "admin": role_rules.is_admin,
    "excom": _excom_not_secretariat,
    "focal_point": _focal_point,
    "evaluator": role_rules.is_evaluator,
}


@dataclass(frozen=True)
class Link:
    label: str
    url_name: str
    audience: str = "everyone"
    # Other URL prefixes that mark this link as the current section (besides its own).
    also_active: tuple[str, ...] = ()


@dataclass(frozen=True)
class Group:
    label: str
    links: tuple[Link, ...]


# The menu, in display order. Groups with no visible link are left out.
NAV: tuple[Group, ...] = (
    Group(
        "Network",
        (
            Link("Members", "members:directory"),
            Link("Events", "events:list"),
            Link("Governance", "governance:meetings"),
            Link("Prize", "prize:index"),
            Link("Index", "index:home"),
            Link("Membership changes", "dues:between-assemblies"),
            Link("Apply for membership", "members:apply", "anonymous"),
        ),
    ),
    Group(
        "My space",
        (
            Link("My member", "members:mine", "focal_point"),
            Link("My invoices", "dues:mine", "focal_point"),
            Link("My applications", "prize:my_applications", "focal_point"),
            Link("My reviews", "prize:my_reviews", "evaluator"),
            Link("Status review", "dues:review", "excom"),
            Link("Applications", "members:applications", "excom"),
        ),
    ),
    Group(
        "Secretariat",
        (
            Link("Manage events", "events:manage", "secretariat"),
            Link("Invoices", "dues:invoices", "secretariat"),
            Link("Arrears", "dues:arrears", "secretariat"),
            Link("Bank statement", "dues:statement", "secretariat"),
            Link("Status review", "dues:review", "secretariat"),
            Link("Applications", "members:applications", "secretariat"),
            Link("Messages", "members_messages:compose", "secretariat"),
            Link("Outbox", "messaging:outbox", "secretariat"),
            Link("Reports", "reports:build", "secretariat"),
            Link("Jobs", "common:job_list", "secretariat"),
            Link("Admin", "admin:index", "admin"),
        ),
    ),
)

# Links in the account corner (right of the menu).
ACCOUNT: tuple[Link, ...] = (
    Link("API tokens", "account:api_tokens", "signed_in"),
    Link("Change password", "password_change", "signed_in"),
)


def visible_groups(user: Any, path: str = "") -> list[dict[str, Any]]:
    """The groups and links `user` sees, each link with its URL and whether it is current."""
    groups: list[dict[str, Any]] = []
    for group in NAV:
        links = [_entry(link, path) for link in group.links if AUDIENCES[link.audience](user)]
        if links:
            groups.append({"label": group.label, "links": links})
    # Only the most specific match is current (/members/mine/ is "My member", not "Members").
    matches = [e for g in groups for e in g["links"] if e["current"]]
    best = max(matches, key=lambda e: len(e["url"]), default=None)
    for entry in matches:
        entry["current"] = entry is best
    return groups


def visible_account_links(user: Any, path: str = "") -> list[dict[str, Any]]:
    return [_entry(link, path) for link in ACCOUNT if AUDIENCES[link.audience](user)]


def _entry(link: Link, path: str) -> dict[str, Any]:
    url = reverse(link.url_name)
    prefixes = (url, *link.also_active)
    current = url == path if url == "/" else any(path.startswith(p) for p in prefixes)
    return {"label": link.label, "url": url, "current": current, "name": link.url_name}


def navigation(request: Any) -> dict[str, Any]:
    """Context processor: `nav_groups` and `nav_account` for `base.html`."""
    user = getattr(request, "user", None)
    path = getattr(request, "path", "")
    return {
        "nav_groups": visible_groups(user, path),
        "nav_account": visible_account_links(user, path),
    }
