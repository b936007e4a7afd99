"""Content Security Policy and CSRF across the site.

CSP (django-csp, no 'unsafe-inline'): every HTML page of the permission matrix, fetched as
secretariat staff, has no inline <script> (without src) and no on*= event-handler
attribute. CSRF: a POST without a token is refused (403) on forms, htmx actions and API
writes, by Django's CSRF-enforcing test client.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories.world import build_world
from tests.test_permission_matrix import URLS, _url, url_patterns

# Findings on a branch still being finished: tolerated here, listed in the report.
KNOWN: dict[str, str] = {}


class _Inline(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        names = {k.lower() for k, _ in attrs}
        handlers = sorted(n for n in names if n.startswith("on"))
        if handlers:
            self.found.append(f"<{tag} {' '.join(handlers)}=…>")
        if tag == "script" and "src" not in names:
            types = dict(attrs).get("type") or ""
            # JSON data islands are not executed.
            if types not in {"application/json", "application/ld+json"}:
                self._in_inline_script = True

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag == "script":
            self._in_inline_script = False

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if self._in_inline_script and data.strip():
            self.found.append(f"<script>{data.strip()[:60]}…")
            self._in_inline_script = False


@pytest.mark.django_db
def test_no_inline_script_or_event_handler_on_any_page():
    w = build_world()
    client = Client()
    client.force_login(w.users["staff"])
    checked, problems = 0, []
    for name, _, _ in url_patterns():
        rule = URLS[name]
        if rule.method != "GET":
            continue
        url = _url(w, name, rule, "own")
        response = client.get(url)
        if not response["Content-Type"].startswith("text/html") or response.status_code != 200:
            continue
        parser = _Inline()
        parser.feed(response.content.decode())
        checked += 1
        problems += [f"{url}: {item}" for item in parser.found]
    print(f"\nCSP: {checked} HTML pages checked as staff, {len(problems)} inline scripts/handlers")
    for problem in problems:
        print(f"  {problem}" + (f" (known: {KNOWN[problem]})" if problem in KNOWN else ""))
    assert checked > 40
    unexpected = [p for p in problems if p not in KNOWN]
    assert not unexpected, "\n".join(unexpected)


def test_csp_header_forbids_inline_scripts(client, db):
    header = client.get("/").headers.get("Content-Security-Policy", "")
    script_src = re.search(r"script-src ([^;]*)", header) or re.search(
        r"default-src ([^;]*)", header
    )
    assert script_src, header
    assert "'unsafe-inline'" not in script_src.group(1)


@pytest.mark.django_db
def test_csrf_enforced_on_forms_htmx_and_api():
    w = build_world()
    meeting, delegate = w.objects["meeting"]["own"], w.objects["delegate"]["own"]
    client = Client(enforce_csrf_checks=True)
    client.force_login(w.users["staff"])
    posts = {
        "form": (reverse("members:organisation_new"), {"name": "X", "category": "corporation"}),
        "htmx": (
            reverse("governance:check_in", args=[meeting.slug, delegate.pk]),
            {},
        ),
        "api": ("/api/v1/members/organisations", None),
    }
    print()
    for kind, (url, data) in posts.items():
        if data is None:
            response = client.post(
                url, '{"name": "X", "category": "corporation"}', content_type="application/json"
            )
        else:
            response = client.post(url, data, headers={"HX-Request": "true"})
        print(f"  {kind} POST {url} without token -> {response.status_code}")
        assert response.status_code == 403, (kind, response.status_code)
    # With the token, the same form goes through.
    client.get(reverse("members:organisation_new"))
    token = client.cookies["csrftoken"].value
    ok = client.post(
        reverse("governance:check_in", args=[meeting.slug, delegate.pk]),
        {"csrfmiddlewaretoken": token},
    )
    assert ok.status_code != 403
