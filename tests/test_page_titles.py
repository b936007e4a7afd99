"""Every page that renders has a short title of its own and keeps its forms in the body.

Over every URL pattern (the permission matrix's table names each one's objects and who may
see it): the page is fetched as a role allowed to see it, and when it answers a whole HTML
page its `<title>` is one short line of text (a block left open in a template once put a
whole table, CSRF token included, into the browser tab) and no `<form>` sits outside
`<body>`. Fragments (htmx parts), files and redirects are left out."""

from __future__ import annotations

import re

import pytest
from django.db import transaction

from tests.factories.world import build_world
from tests.test_permission_matrix import ROLES, URLS, _client, _resolve, _url, url_patterns

MAX_TITLE = 80
TITLE = re.compile(r"<title>(.*?)</title>", re.S | re.I)
PREFERENCE = ("admin", "staff", "fp", "excom", "ev", "anon")


def _role(allow: str) -> str | None:
    allowed = set(allow.split())
    return next((r for r in PREFERENCE if r in allowed), None)


def _problems(html: str) -> list[str]:
    """What is wrong with a page; a chart's SVG `<title>` in the body is its own."""
    problems = []
    lower = html.lower()
    start, end = lower.find("<body"), lower.rfind("</body>")
    titles = TITLE.findall(html[: start if start >= 0 else len(html)])
    if len(titles) != 1:
        return [f"{len(titles)} <title> elements in the head"]
    title = titles[0].strip()
    if not title:
        problems.append("an empty title")
    if len(title) > MAX_TITLE or "\n" in title or "<" in title:
        problems.append(f"title is not one short line: {title[:120]!r}")
    if start < 0 or end < 0:
        problems.append("no <body>")
    elif "<form" in lower[:start] or "<form" in lower[end:]:
        problems.append("a <form> outside <body>")
    return problems


@pytest.mark.django_db
def test_every_page_has_a_short_title_and_its_forms_in_the_body():
    w = build_world()
    failures: list[str] = []
    checked = 0
    for name, _route, _kwargs in url_patterns():
        rule = URLS.get(name)
        role = _role(rule.allow) if rule is not None else None
        if rule is None or rule.method != "GET" or role is None:
            continue
        side = ROLES[role][1]
        url = _url(w, name, rule, side)
        with transaction.atomic():
            response = _client(w, role).get(url, _resolve(w, rule.query, side))
            transaction.set_rollback(True)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        if "<html" not in html.lower():
            continue  # an htmx fragment
        checked += 1
        failures += [f"{name} ({url}) as {role}: {p}" for p in _problems(html)]
    assert checked > 50, f"only {checked} pages rendered"
    assert not failures, "\n".join(failures)


def test_the_check_itself():
    good = "<html><head><title>Invoices</title></head><body><form></form></body></html>"
    assert _problems(good) == []
    left_open = "<html><head><title>Review<form><input></form></title></head><body></body>"
    assert _problems(left_open) == [
        "title is not one short line: 'Review<form><input></form>'",
        "a <form> outside <body>",
    ]
