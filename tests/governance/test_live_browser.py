"""The live quorum page updates by itself within 2 s of a check-in (no reload)."""

import os
import shutil

import pytest

from tests.factories.governance import DelegateFactory, MeetingFactory, QuorumRuleFactory, members
from urbis.governance import domain

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture
def page():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # ORM calls beside Playwright
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser.new_page()
        browser.close()


def test_live_quorum_updates_without_reload(live_server, page):
    QuorumRuleFactory()
    cities = members(4)
    meeting = MeetingFactory(slug="live-ga")
    delegate = DelegateFactory(meeting=meeting, organisation=cities[0])
    page.goto(f"{live_server.url}/governance/meetings/live-ga/live/")
    present = page.locator("[data-present]")
    assert present.inner_text() == "0"
    page.evaluate("window.__marker = 'same page'")
    domain.attendance_check_in(actor=None, delegate=delegate)
    # Polled from the test side: the page's CSP forbids evaluating strings in the page.
    expect = pytest.importorskip("playwright.sync_api").expect
    expect(present).to_have_text("1", timeout=2000)
    assert page.evaluate("window.__marker") == "same page"
    assert "Quorum met" in page.locator("#quorum").inner_text()
