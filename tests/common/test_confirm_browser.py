"""In the browser: an irreversible action asks first, and cancelling submits nothing — for a
plain form (concluding a meeting) and for an htmx form (checking a delegate out of a past
meeting, which htmx would otherwise post at once)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from tests.factories.governance import (
    AgendaItemFactory,
    DelegateFactory,
    MeetingFactory,
    QuorumRuleFactory,
    members,
)
from urbis.common.actor import Actor
from urbis.governance.domain import attendance_check_in
from urbis.governance.models import CheckIn, Meeting

CHROMIUM = "/usr/bin/chromium"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # ORM calls beside Playwright
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def page(browser, live_server, staff_user, client):
    client.force_login(staff_user)
    host = live_server.url.split("//", 1)[1].split(":")[0]
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "domain": host,
                "path": "/",
            }
        ]
    )
    page = context.new_page()
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    page.posts = posts  # type: ignore[attr-defined]
    yield page
    context.close()


def test_cancelling_the_conclusion_of_a_meeting_submits_nothing(page, live_server):
    QuorumRuleFactory()
    meeting = MeetingFactory(slug="ga-12", title="General Assembly 12", status="in_session")
    AgendaItemFactory(meeting=meeting, number=1)
    page.goto(f"{live_server.url}/governance/meetings/ga-12/workspace/")
    asked: list[str] = []

    def dismiss(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_role("button", name="Conclude the meeting").click()
    page.evaluate("1")  # the page has handled the click
    assert asked == [
        "Conclude General Assembly 12? 0 of 1 agenda item decided (1 left undecided); "
        "attendance, votes and decisions become read-only; this cannot be undone."
    ]
    assert page.posts == []
    assert Meeting.objects.get(pk=meeting.pk).status == "in_session"

    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.get_by_role("button", name="Conclude the meeting").click()
    assert Meeting.objects.get(pk=meeting.pk).status == "concluded"


def test_cancelling_a_check_out_on_a_past_meeting_sends_no_htmx_request(page, live_server):
    QuorumRuleFactory()
    city = members(1)[0]
    meeting = MeetingFactory(
        slug="ga-past", title="General Assembly 12", date=dt.date(2023, 9, 26), status="in_session"
    )
    delegate = DelegateFactory(meeting=meeting, organisation=city, name="Ana Lee")
    attendance_check_in(actor=Actor.system(), delegate=delegate, mode="on_site")
    page.goto(f"{live_server.url}/governance/meetings/ga-past/run/")
    asked: list[str] = []

    def dismiss(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_role("button", name="Check out").click()
    page.evaluate("1")
    assert len(asked) == 1 and asked[0].startswith(
        f"Check out Ana Lee ({city.name}) of General Assembly 12, held on 26 September 2023? "
        "The meeting is past"
    )
    assert page.posts == []
    assert CheckIn.objects.filter(delegate=delegate).exists()

    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Check out").click()
    assert answer.value.status == 200
    assert len(page.posts) == 1
