"""Accessibility: axe-core (from npm, installed on first use into tests/hardening/.axe/,
never committed) is injected into the main pages; no violation of critical impact.

The pages forbid inline and injected scripts (CSP), so the axe context bypasses the CSP; the
CSP itself is tested in test_csp_csrf.py.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from tests.events.test_browser import browser  # noqa: F401 - the shared Chromium fixture
from tests.factories.world import build_world

AXE_VERSION = "4.14.1"
AXE_DIR = Path(__file__).resolve().parent / ".axe"
AXE_JS = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "hardening"

# Findings on a branch still being finished: tolerated here, listed in the report.
KNOWN: dict[str, str] = {}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


VENDORED = Path(__file__).resolve().parents[1] / "assets" / "axe.min.js"  # same version


def _axe() -> Path:
    if VENDORED.exists():
        return VENDORED
    if AXE_JS.exists():
        return AXE_JS
    npm = shutil.which("npm")
    if not npm:
        pytest.skip("npm is not installed: axe-core cannot be installed")
    AXE_DIR.mkdir(exist_ok=True)
    done = subprocess.run(
        [npm, "install", "--no-audit", "--no-fund", "--prefix", str(AXE_DIR),
         f"axe-core@{AXE_VERSION}"],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    if done.returncode != 0 or not AXE_JS.exists():
        pytest.skip(f"npm install axe-core failed: {done.stderr[-300:]}")
    return AXE_JS


def test_main_pages_have_no_critical_violations(browser, live_server):  # noqa: F811
    axe = _axe()
    from django.test import Client

    w = build_world()
    o = w.objects
    client = Client()
    client.force_login(w.users["staff"])
    host = live_server.url.split("//", 1)[1].split(":")[0]
    context = browser.new_context(bypass_csp=True, viewport={"width": 1200, "height": 900})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "domain": host,
          "path": "/"}]
    )  # fmt: skip
    page = context.new_page()
    reg = o["registration"]["own"]
    pages = [
        reverse("home"),
        reverse("login"),
        reverse("members:directory"),
        reverse("members:detail", args=[w.a.slug]),
        reverse("members:organisation_new"),
        reverse("dues:review"),
        reverse("events:programme", args=[reg.event.slug]),
        reverse("events:register", args=[reg.event.slug]),
        reverse("events:checkin", args=[reg.event.slug]),
        reverse("governance:meeting", args=[o["meeting"]["own"].slug]),
        reverse("governance:live", args=[o["meeting"]["own"].slug]),
        reverse("governance:run", args=[o["meeting"]["own"].slug]),
        reverse("prize:results", args=[2023]),
        reverse("index:ranking", args=[2023]),
        reverse("reports:build"),
        reverse("common:job_list"),
        reverse("common:job_detail", args=[o["job"]["own"].pk]),
    ]
    names = {reverse("governance:run", args=[o["meeting"]["own"].slug]): "governance:run"}
    report: dict[str, dict[str, int]] = {}
    critical: list[str] = []
    for path in pages:
        page.goto(f"{live_server.url}{path}")
        page.add_script_tag(path=str(axe))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        counts: dict[str, int] = {}
        for v in result["violations"]:
            counts[v["impact"] or "none"] = counts.get(v["impact"] or "none", 0) + 1
            if v["impact"] == "critical":
                known = KNOWN.get(f"{names.get(path, path)} {v['id']}")
                line = f"{path}: {v['id']}: {v['help']} ({len(v['nodes'])} nodes)"
                if known:
                    print(f"  known: {line}: {known}")
                else:
                    critical.append(line)
        report[path] = counts
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "axe.json").write_text(json.dumps(report, indent=2))
    print(f"\naxe-core {AXE_VERSION} on {len(pages)} pages (violations by impact):")
    for path, counts in report.items():
        print(f"  {path}: {counts or 'none'}")
    assert not critical, "\n".join(critical)
