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
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

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
    label: str | Promise
    url_name: str
    audience: str = "everyone"
    # Other URL prefixes that mark this link as the current section (besides its own).
    also_active: tuple[str, ...] = ()


@dataclass(frozen=True)
class Group:
    label: str | Promise
    links: tuple[Link, ...]


# The menu, in display order. Groups with no visible link are left out.
NAV: tuple[Group, ...] = (
    Group(
        _("Network"),
        (
            Link(_("Members"), "members:directory"),
            Link(_("Events"), "events:list"),
            Link(_("Governance"), "governance:meetings"),
            Link(_("Prize"), "prize:index"),
            Link(_("Index"), "index:home"),
            Link(_("Membership changes"), "dues:between-assemblies"),
            Link(_("Apply for membership"), "members:apply", "anonymous"),
        ),
    ),
    Group(
        _("My space"),
        (
            Link(_("My member"), "members:mine", "focal_point"),
            Link(_("My invoices"), "dues:mine", "focal_point"),
            Link(_("My applications"), "prize:my_applications", "focal_point"),
            Link(_("My reviews"), "prize:my_reviews", "evaluator"),
            Link(_("Status review"), "dues:review", "excom"),
            Link(_("Applications"), "members:applications", "excom"),
        ),
    ),
    Group(
        _("Secretariat"),
        (
            Link(_("Manage events"), "events:manage", "secretariat"),
            Link(_("Invoices"), "dues:invoices", "secretariat"),
            Link(_("Arrears"), "dues:arrears", "secretariat"),
            Link(_("Bank statement"), "dues:statement", "secretariat"),
            Link(_("Status review"), "dues:review", "secretariat"),
            Link(_("Applications"), "members:applications", "secretariat"),
            Link(_("Messages"), "members_messages:compose", "secretariat"),
            Link(_("Outbox"), "messaging:outbox", "secretariat"),
            Link(_("Reports"), "reports:build", "secretariat"),
            Link(_("Jobs"), "common:job_list", "secretariat"),
            Link(_("Admin"), "admin:index", "admin"),
        ),
    ),
)

# Links in the account corner (right of the menu).
ACCOUNT: tuple[Link, ...] = (
    Link(_("Language"), "account:language", "signed_in"),
    Link(_("API tokens"), "account:api_tokens", "signed_in"),
    Link(_("Change password"), "password_change", "signed_in"),
)


def visible_groups(user: Any, path: str = "") -> list[dict[str, Any]]:
    """The groups and links `user` sees, each link with its URL and whether it is current."""
    groups: list[dict[str, Any]] = []
    for group in NAV:
        links = [_entry(link, path) for link in group.links if AUDIENCES[link.audience](user)]
        if links:
            groups.append({"label": str(group.label), "links": links})
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
    return {"label": str(link.label), "url": url, "current": current, "name": link.url_name}


def navigation(request: Any) -> dict[str, Any]:
    """Context processor: `nav_groups` and `nav_account` for `base.html`."""
    user = getattr(request, "user", None)
    path = getattr(request, "path", "")
    return {
        "nav_groups": visible_groups(user, path),
        "nav_account": visible_account_links(user, path),
    }
