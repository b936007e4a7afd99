"""The public meeting page on a 390 x 844 phone: the agenda table fits the screen (no
sideways scrolling of the page nor of the table's own box), the kind of each item shown
under its title; and the page names the event session the meeting sits in."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from tests.factories.events import EventFactory, SessionFactory
from tests.factories.governance import AgendaItemFactory, MeetingFactory

CHROMIUM = "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
        yield context.new_page()
        chromium.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def test_the_agenda_fits_a_phone(phone, live_server):
    event = EventFactory(slug="ga10-2035", name="10th General Assembly 2035", is_public=True)
    meeting = MeetingFactory(
        slug="ga-10",
        title="10th General Assembly 2035",
        date=dt.date(2035, 9, 18),
        convocation_date=dt.date(2035, 8, 1),
        session=SessionFactory(event=event, title="Statutory session", day=dt.date(2035, 9, 18)),
    )
    titles = [
        "Approval of the Activity Report and the Financial Statements 2032-2035",
        "Election of the President City, the Executive Vice President City and the Vice "
        "President Cities for 2035-2038",
        "Selection of the Host City of the 11th General Assembly",
        "Amendment of Article 16(2) of the Statutes (quorum of the General Assembly)",
    ]
    for n, (title, kind) in enumerate(
        zip(titles, ["approval", "election", "selection", "approval"], strict=True), start=1
    ):
        AgendaItemFactory(
            meeting=meeting,
            number=n,
            title=title,
            kind=kind,
            article="16(2)",
            method="roll_call",
            starts_at=dt.time(14, n),
            ends_at=dt.time(15, n),
        )
    phone.goto(f"{live_server.url}/governance/meetings/ga-10/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    table = phone.locator("#agenda")
    assert table.evaluate("t => t.scrollWidth <= t.parentElement.clientWidth")
    box = table.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert phone.locator("#agenda th.agenda-method").is_hidden()
    assert phone.locator("#agenda .agenda-kind-inline").nth(1).inner_text() == " · Election"
    assert phone.locator("#meeting-session").inner_text() == (
        "At 10th General Assembly 2035: Statutory session"
    )
