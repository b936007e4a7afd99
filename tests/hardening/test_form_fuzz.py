"""Hostile values in the form pages: every page of the permission matrix that the
secretariat admin may open is read, each of its forms (POST and GET, plain or htmx) is
found in the HTML, and Hypothesis submits it with the fields that take numbers, dates,
choices and ids (number, date, select, radio, hidden inputs, and names that say year, id or
date) set to hostile values: superscript and other Unicode digits, numbers past 64 bits,
negative and zero, impossible and far dates, text where an id is expected, empty values.

Asserted: no answer is a server error (an exception, or a status of 500 or more). A refusal
is a 4xx or the form shown again with its errors. URBIS_FUZZ_EXAMPLES sets the examples per
form (a few in the suite; `make fuzz` runs many on PostgreSQL).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories.world import build_world
from tests.test_permission_matrix import ROLES, URLS, _url, url_patterns

MAX_EXAMPLES = int(os.environ.get("URBIS_FUZZ_EXAMPLES", "8"))

HOSTILE = [
    "", " ", "0", "-1", "1.5", "99999", "²", "¹", "٣", "\uff11\uff12", "2^70",
    str(2**70), str(-(2**63)), "1e309", "NaN", "abc", "0001-01-01", "9999-12-31",
    "2023-02-30", "10000-01-01", "-5-01-01", "2023-13-01", "x" * 300,
]  # fmt: skip
FUZZED_TYPES = {"number", "date", "datetime-local", "month", "time", "hidden", "select", "radio"}
FUZZED_WORDS = ("year", "id", "date", "_on", "number", "amount", "count", "runs", "seed", "pk")
SKIPPED_ACTIONS = ("/accounts/logout", "/admin/", "/i18n/")


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name -> candidate values
    kinds: dict[str, str] = field(default_factory=dict)  # name -> input type


class Forms(HTMLParser):
    """The forms of a page: their action, method, fields and each field's type."""

    def __init__(self, page_url: str) -> None:
        super().__init__()
        self.page_url = page_url
        self.forms: list[Form] = []
        self.current: Form | None = None
        self.select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "option" and self.current is not None and self.select:
            self.current.fields[self.select].append(a.get("value", ""))
        elif tag == "form":
            action, method = a.get("action") or self.page_url, a.get("method", "get")
            for verb in ("post", "get"):
                if a.get(f"hx-{verb}"):
                    action, method = a[f"hx-{verb}"], verb
            self.current = Form(urljoin(self.page_url, action), method.lower())
            self.forms.append(self.current)
        elif self.current is None or not a.get("name"):
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind == "checkbox" and "checked" not in a:
                self.current.kinds.setdefault(a["name"], kind)
                self.current.fields.setdefault(a["name"], [])
                return
            self.current.fields.setdefault(a["name"], []).append(a.get("value", ""))
            self.current.kinds[a["name"]] = kind
        elif tag == "select":
            self.select = a["name"]
            self.current.fields.setdefault(self.select, [])
            self.current.kinds[self.select] = "select"
        elif tag == "textarea":
            self.current.fields.setdefault(a["name"], ["text"])
            self.current.kinds[a["name"]] = "textarea"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None


def _fuzzed(name: str, kind: str) -> bool:
    if name in {"csrfmiddlewaretoken", "next"}:
        return False
    return kind in FUZZED_TYPES or any(word in name.lower() for word in FUZZED_WORDS)


def _forms(client: Client, w) -> list[tuple[str, Form]]:
    """(page, form) for every form on every page the admin may open."""
    found: list[tuple[str, Form]] = []
    seen: set[tuple[str, str, tuple[str, ...]]] = set()
    for name, _route, _kwargs in url_patterns():
        rule = URLS.get(name)
        if rule is None or rule.method != "GET" or "admin" not in rule.allow.split():
            continue
        url = _url(w, name, rule, ROLES["admin"][1])
        with transaction.atomic():
            response = client.get(url)
            transaction.set_rollback(True)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = Forms(url)
        parser.feed(response.content.decode())
        for form in parser.forms:
            if form.action.startswith(tuple(SKIPPED_ACTIONS)) or "://" in form.action:
                continue
            key = (form.action, form.method, tuple(sorted(form.fields)))
            if any(_fuzzed(n, form.kinds.get(n, "")) for n in form.fields) and key not in seen:
                seen.add(key)
                found.append((url, form))
    return found


def _submit(client: Client, form: Form, data: dict[str, str]):
    sid = transaction.savepoint()
    try:
        if form.method == "post":
            return client.post(form.action, data, HTTP_HX_REQUEST="true")
        return client.get(form.action, data)
    finally:
        transaction.savepoint_rollback(sid)


def _fuzz_form(client: Client, form: Form) -> tuple[int, str | None]:
    """(submissions, the first failure) of one form under Hypothesis."""
    base = {n: (values[0] if values else "") for n, values in form.fields.items()}
    fuzzable = [n for n in form.fields if _fuzzed(n, form.kinds.get(n, ""))]
    value = st.one_of(
        st.sampled_from(HOSTILE), st.integers(-(2**70), 2**70).map(str), st.dates().map(str)
    )
    tried = 0

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(changes=st.dictionaries(st.sampled_from(fuzzable), value, min_size=1))
    def run(changes: dict[str, str]) -> None:
        nonlocal tried
        tried += 1
        try:
            response = _submit(client, form, base | changes)
        except Exception as exc:  # a server error, raised by the test client
            raise AssertionError(f"{type(exc).__name__}: {exc} with {changes!r}") from exc
        assert response.status_code < 500, f"{response.status_code} with {changes!r}"

    try:
        run()
    except AssertionError as exc:
        return tried, str(exc)[:400]
    return tried, None


@pytest.mark.django_db
def test_form_pages_never_answer_a_server_error():
    w = build_world()
    client = Client(raise_request_exception=True)
    client.force_login(w.users["admin"])
    forms = _forms(client, w)
    failures: list[str] = []
    tried = 0
    started = time.monotonic()
    for page, form in forms:
        count, failure = _fuzz_form(client, form)
        tried += count
        if failure:
            failures.append(f"{form.method.upper()} {form.action} (on {page}): {failure}")
    elapsed = time.monotonic() - started
    print(
        f"\nform fuzz: {len(forms)} forms, up to {MAX_EXAMPLES} examples each, "
        f"{tried} submissions in {elapsed:.1f} s"
    )
    for line in failures:
        print("  FAIL " + line)
    assert len(forms) >= 20, [f.action for _, f in forms]
    assert failures == []
