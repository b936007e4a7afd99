"""End to end in Debian's Chromium: a focal point reads its member's space in English,
chooses Korean in the footer's language form and reads the same page in Korean; the choice
is remembered on the next page. Screenshots under test-artifacts/common/."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from tests.events.test_browser import browser  # noqa: F401 - the shared Chromium fixture
from tests.factories.dues import InvoiceFactory

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "common"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_footer_switcher_turns_the_member_page_korean(browser, live_server, focal_point):  # noqa: F811
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    user, org = focal_point
    InvoiceFactory(organisation=org, fiscal_year=2031, number="2031-0042")
    client = Client()
    client.force_login(user)
    host = live_server.url.split("//", 1)[1].split(":")[0]
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "domain": host,
          "path": "/"}]
    )  # fmt: skip
    page = context.new_page()
    page.goto(f"{live_server.url}/members/mine/")
    assert page.inner_text("h1") == "My member"

    page.select_option("#language-select", "ko")
    page.click(".language-switcher button[type=submit]")
    page.wait_for_selector("html[lang=ko]")
    assert page.url == f"{live_server.url}/members/mine/"
    assert page.inner_text("h1") == "내 회원 기관"
    headings = page.locator("section h2").all_inner_texts()
    assert "청구서" in headings
    assert "납부" in headings
    assert "Invoices" not in headings
    assert "미납 잔액: " in page.inner_text("#invoices")
    page.screenshot(path=str(ARTIFACTS / "member-space-ko.png"), full_page=True)

    page.goto(f"{live_server.url}/")  # the choice is remembered
    assert page.locator("h2", has_text="내 회원 기관 공간").count() == 1
    context.close()
