"""Everything a role may open is reachable from what its navigation shows it, and the
navigation shows nothing the role may not open.

For each role of the permission matrix (`tests/test_permission_matrix.py`, the judge of who
may open what), the crawl starts at the home page, follows every same-site link, form action
and htmx address it finds on the pages the role may open, and records which URL patterns it
reached. Every pattern the matrix allows to the role must be among them, except the
justified ones in `NOT_CRAWLED` (reached otherwise than by a link from a page).
"""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from tests.factories.world import build_world
from tests.test_permission_matrix import ROLES, URLS, _denied
from tests.workspace.test_page_writes import PAGE_WRITES
from urbis.config import navigation

pytestmark = pytest.mark.django_db

# URL patterns reached otherwise than by following links, with the reason.
NOT_CRAWLED: dict[str, str] = {
    "login": "where a signed-out visitor is sent; a signed-in user has no use for it",
    "favicon": "asked for by browsers, not linked",
    "dues-moved": "old addresses kept for bookmarks; nothing links to them any more",
    "messaging:sign_in": "the link arrives by e-mail",
    "messaging:unsubscribe": "the link arrives by e-mail",
    "governance:quorum_panel": "polled by the live quorum page's script",
    "governance:ballot_panel": "polled by the ballot page's script",
    "governance:console_turnout": "polled by the chair's console",
    "prize:review": "the evaluator's own assignment, linked from its dashboard and reviews list",
}

# Per role: patterns the matrix allows but whose object this role reaches in another way.
_NO_JOBS = {
    name: "only the secretariat starts jobs, so only it has the Jobs link"
    for name in ("common:job_list", "common:job_detail", "common:job_download")
}
_NOT_A_FOCAL_POINT = {
    "members:mine": "the focal point's page; other roles hold no member of their own",
    "dues:mine": "the focal point's page; other roles hold no member of their own",
}
_NOT_IN_SESSION = {
    "governance:ballot": "linked from the meeting page while the meeting is in session "
    "(the world's meeting is concluded)",
}
_CALL_CLOSED = {
    "prize:apply": "offered on the prize page while a call is open (the world's is closed)",
}
# Pages of the prize app without a link yet (to be linked from the application page and the
# triage list): the application as the secretariat and EXCOM see it, and its documents.
_PRIZE_UNLINKED = {
    "prize:edit": "the application page is linked for its applicant only (My applications)",
    "prize:document": "documents are linked from the evaluator's review page only",
}
_ROUND_NOT_OPEN = {
    "prize:round_close": "offered on the edition's management page while a round is open "
    "(the world's rounds are planned)",
}
NOT_CRAWLED_FOR: dict[str, dict[str, str]] = {
    "fp": {
        **_NOT_IN_SESSION,
        **_NO_JOBS,
        **_CALL_CLOSED,
        "prize:document": _PRIZE_UNLINKED["prize:document"],
    },
    "ev": {**_NOT_IN_SESSION, **_NO_JOBS, **_NOT_A_FOCAL_POINT, **_CALL_CLOSED, **_PRIZE_UNLINKED},
    "excom": {
        **_NOT_IN_SESSION,
        **_NO_JOBS,
        **_NOT_A_FOCAL_POINT,
        **_CALL_CLOSED,
        **_PRIZE_UNLINKED,
    },
    "staff": {**_NOT_A_FOCAL_POINT, **_CALL_CLOSED, **_PRIZE_UNLINKED, **_ROUND_NOT_OPEN},
    "admin": {**_NOT_A_FOCAL_POINT, **_CALL_CLOSED, **_PRIZE_UNLINKED, **_ROUND_NOT_OPEN},
}

# Roles crawled: one per kind of user (the "x"/"c" variants are the same users on other objects).
CRAWLED_ROLES = ("anon", "fp", "ev", "excom", "staff", "admin")
MAX_PER_PATTERN = 3  # distinct URLs visited per pattern (enough to find the links it offers)
MAX_PAGES = 600

_ADDRESS = re.compile(r"""(?:href|action|hx-get|hx-post|data-url)\s*=\s*["']([^"'#]+)""", re.I)


class _Addresses(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []  # (method, url)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v for k, v in attrs if v is not None}
        if tag == "a" and "href" in a:
            self.found.append(("GET", a["href"]))
        if tag == "form":
            method = a.get("method", "get").upper()
            self.found.append((method, a.get("action", "")))
        for attr, method in (("hx-get", "GET"), ("hx-post", "POST"), ("data-url", "GET")):
            if attr in a:
                self.found.append((method, a[attr]))


def _pattern(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def crawl(client: Client, posted: set[str] | None = None) -> tuple[set[str], set[str]]:
    """(patterns reached, URLs visited); the patterns that a page's form or htmx request
    posts to are added to `posted`."""
    seen_urls: set[str] = set()
    per_pattern: dict[str, int] = {}
    reached: set[str] = set()
    queue: deque[str] = deque(["/"])
    pages = 0
    while queue and pages < MAX_PAGES:
        url = queue.popleft()
        if url in seen_urls:
            continue
        seen_urls.add(url)
        response = client.get(url)
        pages += 1
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = _Addresses()
        parser.feed(response.content.decode())
        for _method, raw in parser.found:
            target = urljoin(url, raw or url)
            parts = urlsplit(target)
            if parts.netloc and parts.netloc != "testserver":
                continue
            path = parts.path
            if path.startswith(("/api/", "/admin/", "/static/", "/media/")):
                continue
            name = _pattern(path)
            if name is None:
                continue
            reached.add(name)
            if _method == "POST" and posted is not None:
                posted.add(name)
            if _method != "GET" or per_pattern.get(name, 0) >= MAX_PER_PATTERN:
                continue
            if path.endswith((".pdf", ".csv", ".ics", ".xlsx")) or "/export" in path:
                continue
            full = path + (f"?{parts.query}" if parts.query else "")
            if full not in seen_urls:
                per_pattern[name] = per_pattern.get(name, 0) + 1
                queue.append(full)
    return reached, seen_urls


def _allowed(role: str) -> set[str]:
    """The pages (GET) the matrix lets `role` open. Actions (POST) are forms on those pages,
    offered when the object's state allows them; their apps' tests cover them."""
    return {
        name for name, rule in URLS.items() if rule.method == "GET" and role in rule.allow.split()
    }


@pytest.mark.parametrize("role", CRAWLED_ROLES)
def test_every_allowed_page_is_reachable_from_the_navigation(role, run_jobs):
    w = build_world()
    client = Client()
    user_key = ROLES[role][0]
    if user_key:
        client.force_login(w.users[user_key])
    posted: set[str] = set()
    reached, _ = crawl(client, posted)
    if run_jobs():
        # Public documents are served from the cache the worker fills (the first visit
        # queues the build): crawl again once they are built.
        reached |= crawl(client, posted)[0]
    exceptions = {**NOT_CRAWLED, **NOT_CRAWLED_FOR.get(role, {})}
    missing = sorted(_allowed(role) - reached - set(exceptions))
    assert not missing, f"{role} may open these pages but no link reaches them: {missing}"
    # No write is page-only: each form the crawl found names its API operation.
    unnamed = sorted(posted - set(PAGE_WRITES))
    assert not unnamed, f"{role}'s pages post to these without an entry in PAGE_WRITES: {unnamed}"


@pytest.mark.parametrize("role", CRAWLED_ROLES)
def test_the_navigation_shows_only_what_the_role_may_open(role):
    """Every menu link of a role opens for it (no link to a refusal)."""
    w = build_world()
    client = Client()
    user_key = ROLES[role][0]
    user = w.users[user_key] if user_key else None
    if user is not None:
        client.force_login(user)
    response = client.get("/")
    groups = response.context["nav_groups"] + [{"links": response.context["nav_account"]}]
    refused = []
    for group in groups:
        for link in group["links"]:
            if link["name"].startswith("admin:"):
                continue  # the admin site is the admin's, checked by Django
            in_matrix = link["name"] in URLS
            if (in_matrix and role not in URLS[link["name"]].allow.split()) or _denied(
                client.get(link["url"])
            ):
                refused.append(link["name"])
    assert not refused, f"{role}'s menu links to pages it may not open: {refused}"


def test_jobs_link_only_for_roles_that_start_jobs():
    w = build_world()
    names = {}
    for key in ("staff", "excom", "focal", "evaluator"):
        groups = navigation.visible_groups(w.users[key])
        names[key] = {link["name"] for g in groups for link in g["links"]}
    assert "common:job_list" in names["staff"]
    for key in ("excom", "focal", "evaluator"):
        assert "common:job_list" not in names[key], key


def test_a_signed_in_user_without_the_right_is_told_not_sent_to_sign_in():
    """Every page the matrix refuses to a signed-in role answers 403 or 404, never the
    sign-in page (which would ask the user to sign in again as who they already are)."""
    w = build_world()
    from tests.test_permission_matrix import _url, url_patterns

    redirected = []
    for role in ("fp", "ev", "excom"):
        client = Client()
        client.force_login(w.users[ROLES[role][0]])
        for name, _, _ in url_patterns():
            rule = URLS.get(name)
            if rule is None or rule.method != "GET" or role in rule.allow.split():
                continue
            response = client.get(_url(w, name, rule, ROLES[role][1]))
            if response.status_code in (301, 302) and "/accounts/login/" in response["Location"]:
                redirected.append(f"{role} {name}")
    assert not redirected, "sent to the sign-in page instead of a 403:\n" + "\n".join(redirected)
