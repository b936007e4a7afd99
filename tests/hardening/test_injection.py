"""HTML/script injection in free-text fields: rendered escaped in pages, and as literal text
(not markup) in the memorandum, badge and certificate PDFs."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories.world import build_world
from urbis.common.pdf import pdf_text

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"


@pytest.fixture
def hostile_world(db):
    w = build_world()
    o = w.objects
    w.a.description = HOSTILE
    w.a.city = HOSTILE
    w.a.save()
    reg = o["registration"]["own"]
    reg.person_name = HOSTILE
    reg.position = HOSTILE
    reg.save()
    meeting = o["meeting"]["own"]
    meeting.chair = HOSTILE
    meeting.venue = HOSTILE
    meeting.save()
    item = o["item"]["own"]
    item.title = HOSTILE
    item.summary = HOSTILE
    item.save()
    app = o["application"]["own"]
    app.applicant_name = HOSTILE
    app.title = HOSTILE
    app.save()
    return w


def _pages(w):
    o = w.objects
    reg = o["registration"]["own"]
    return [
        reverse("members:detail", args=[w.a.slug]),
        reverse("events:registration", args=[reg.event.slug, reg.code]),
        reverse("events:registrations", args=[reg.event.slug]),
        reverse("governance:meeting", args=[o["meeting"]["own"].slug]),
        reverse("governance:memorandum", args=[o["meeting"]["own"].slug]),
        reverse("prize:results", args=[2023]),
        reverse("prize:review", args=[o["assignment"]["own"].pk]),
    ]


def test_pages_escape_free_text(client, hostile_world):
    w = hostile_world
    found = []
    for url in _pages(w):
        client.force_login(w.users["evaluator"] if "reviews" in url else w.users["staff"])
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        assert HOSTILE not in html, f"{url} renders the markup unescaped"
        assert "<script>alert" not in html and "onerror=alert" not in html.replace(
            "onerror=alert(1)&gt;", ""
        ), url
        found.append((url, html.count(ESCAPED)))
    print("\npages with the hostile text escaped (url, occurrences):")
    for url, n in found:
        print(f"  {url}: {n}")
    assert sum(n for _, n in found) > 0


def test_pdfs_print_free_text_literally(client, hostile_world):
    w = hostile_world
    o = w.objects
    reg = o["registration"]["own"]
    client.force_login(w.users["staff"])
    pdfs = {
        "memorandum": reverse("governance:memorandum_pdf", args=[o["meeting"]["own"].slug]),
        "badge": reverse("events:badge", args=[reg.event.slug, reg.code]),
        "certificate": reverse("prize:certificate", args=[2023, o["award"]["own"].pk]),
    }
    print()
    for name, url in pdfs.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "application/pdf"
        text = pdf_text(response.content)
        flat = " ".join(text.split())
        print(
            f"  {name}: {len(response.content):,} bytes, literal <script> in text: "
            f"{'<script>' in flat}"
        )
        assert '<script>alert("x")</script>' in flat, f"{name}: {flat[:300]}"
