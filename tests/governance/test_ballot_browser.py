"""In the browser: two delegates vote from phone-sized ballot pages — one on site, signed in
as its member's focal point, one online through its head of delegation's personal link —
while the chair opens and closes polls from the console; the memorandum shows the results.

Drives Debian's Chromium (/usr/bin/chromium) through Playwright's Python package; skips when
either is missing.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from tests.factories.governance import (
    AgendaItemFactory,
    CandidateFactory,
    MeetingFactory,
    QuorumRuleFactory,
    members,
)
from tests.factories.members import ContactFactory, UserFactory
from tests.governance.conftest import attend
from urbis.common import roles
from urbis.governance import domain
from urbis.governance.ballot_links import ballot_link_sign
from urbis.governance.models import Delegate, Poll

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 390, "height": 844}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # between browser steps are synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def _user(username: str, role: str) -> object:
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def _context(browser, live_server, *, user=None, phone=False):
    """A browser context, signed in as `user` when given, phone-sized when `phone`."""
    if phone:
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    else:
        context = browser.new_context(viewport={"width": 1280, "height": 1000})
    if user is not None:
        client = Client()
        client.force_login(user)
        host = live_server.url.split("//", 1)[1].split(":")[0]
        cookie = client.cookies["sessionid"].value
        context.add_cookies([{"name": "sessionid", "value": cookie, "domain": host, "path": "/"}])
    return context


def _fits_the_phone(page) -> None:
    """Nothing wider than the screen; every option and the vote button at least 44 px high."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    targets = page.locator(".ballot-option, .ballot-submit")
    assert targets.count() >= 2
    for n in range(targets.count()):
        box = targets.nth(n).bounding_box()
        assert box is not None and box["height"] >= 44 and box["width"] <= PHONE["width"]


def test_two_delegates_vote_from_their_phones_while_the_chair_runs_the_polls(browser, live_server):
    expect = pytest.importorskip("playwright.sync_api").expect
    QuorumRuleFactory()
    cities = members(3, prefix="Phone City")
    meeting = MeetingFactory(
        slug="ga-11",
        title="11th General Assembly",
        number=11,
        date=dt.date(2029, 10, 9),
        convocation_date=dt.date(2029, 9, 11),
    )
    domain.meeting_convene(
        actor=None, meeting=meeting, convocation_date=dt.date(2029, 9, 11), notice="Notice"
    )
    attend(meeting, [cities[0], cities[2]])
    attend(meeting, [cities[1]], mode="online")
    domain.meeting_open(actor=None, meeting=meeting)
    AgendaItemFactory(meeting=meeting, number=1, title="Budget 2030", kind="approval")
    election = AgendaItemFactory(
        meeting=meeting, number=2, title="Election of the auditors", kind="election"
    )
    for n, city in enumerate(cities, start=1):
        CandidateFactory(agenda_item=election, organisation=city, order=n)
    chair_user = _user("chair", roles.STAFF)
    focal = _user("focal-onsite", roles.FOCAL_POINT)
    ContactFactory(organisation=cities[0], user=focal, is_focal_point=True, name="On Site")
    head = Delegate.objects.get(meeting=meeting, organisation=cities[1])
    link = f"/governance/ballot/{ballot_link_sign(delegate=head, meeting=meeting)}/"

    chair = _context(browser, live_server, user=chair_user).new_page()
    chair.on("dialog", lambda dialog: dialog.accept())  # the console's confirmations
    onsite = _context(browser, live_server, user=focal, phone=True).new_page()
    online = _context(browser, live_server, phone=True).new_page()

    chair.goto(f"{live_server.url}/governance/meetings/ga-11/console/")
    onsite.goto(f"{live_server.url}/governance/meetings/ga-11/ballot/")
    online.goto(f"{live_server.url}{link}")
    expect(onsite.locator("#ballot-member")).to_have_text("Phone City 0000")
    expect(online.locator("#ballot-member")).to_have_text("Phone City 0001")
    expect(online.locator("#ballot-wait")).to_contain_text("No poll is open.")

    # The chair opens a secret motion; both phones show it without a reload.
    chair.select_option("select[name=item]", label="1. Budget 2030 (Approval)")
    chair.select_option("select[name=kind]", "motion")
    chair.select_option("select[name=method]", "secret")
    chair.click("#open-poll-button")
    expect(chair.locator(".messages")).to_contain_text("Poll opened on agenda 1")
    for phone in (onsite, online):
        expect(phone.locator("#ballot-poll")).to_have_text("Agenda 1. Budget 2030")
        _fits_the_phone(phone)
    ARTIFACTS.mkdir(exist_ok=True)
    onsite.screenshot(path=str(ARTIFACTS / "ballot-phone-motion.png"), full_page=True)

    onsite.get_by_label("For").check()
    onsite.click(".ballot-submit")
    expect(onsite.locator("#ballot-receipt")).to_contain_text("Your vote is recorded.")
    online.get_by_label("For").check()
    online.click(".ballot-submit")
    expect(online.locator("#ballot-receipt")).to_contain_text("Your vote is recorded.")
    expect(chair.locator("#turnout-count")).to_have_text("2 of 3")
    expect(chair.locator("#turnout-voted")).to_contain_text("Phone City 0001")
    chair.screenshot(path=str(ARTIFACTS / "ballot-console.png"), full_page=True)

    chair.click("#close-poll")
    expect(chair.locator(".messages")).to_contain_text("Poll on agenda 1 closed:")
    motion = Poll.objects.get(meeting=meeting, agenda_item__number=1)
    assert motion.outcome == "adopted"
    expect(online.locator("#ballot-wait")).to_contain_text("No poll is open.")
    expect(online.locator(".poll-result")).to_contain_text(motion.arithmetic)

    # An election of two auditors from three candidates.
    chair.select_option("select[name=item]", label="2. Election of the auditors (Election)")
    chair.select_option("select[name=kind]", "election")
    chair.select_option("select[name=method]", "secret")
    chair.fill("input[name=seats]", "2")
    chair.click("#open-poll-button")
    expect(onsite.locator("#ballot-poll")).to_have_text("Agenda 2. Election of the auditors")
    onsite.get_by_label("Phone City 0000").check()
    onsite.get_by_label("Phone City 0002").check()
    expect(onsite.locator("[data-marked]")).to_have_text("2 of 2 marked")
    expect(onsite.get_by_label("Phone City 0001")).to_be_disabled()
    _fits_the_phone(onsite)
    onsite.screenshot(path=str(ARTIFACTS / "ballot-phone-election.png"), full_page=True)
    onsite.click(".ballot-submit")
    expect(onsite.locator("#ballot-receipt")).to_contain_text("Your vote is recorded.")
    expect(online.locator("#ballot-poll")).to_have_text("Agenda 2. Election of the auditors")
    online.get_by_label("Phone City 0002").check()
    online.click(".ballot-submit")
    expect(online.locator("#ballot-receipt")).to_contain_text("Your vote is recorded.")
    expect(chair.locator("#turnout-count")).to_have_text("2 of 3")
    chair.click("#close-poll")
    expect(chair.locator(".messages")).to_contain_text("Poll on agenda 2 closed:")

    # The memorandum shows both results; the public meeting page shows the counts.
    election_poll = Poll.objects.get(meeting=meeting, agenda_item__number=2)
    chair.goto(f"{live_server.url}/governance/meetings/ga-11/memorandum/")
    memo = chair.locator("main")
    expect(memo).to_contain_text(f"Outcome: Adopted — {motion.arithmetic}")
    expect(memo).to_contain_text(election_poll.arithmetic)
    expect(memo).to_contain_text("Phone City 0002 — elected")
    chair.screenshot(path=str(ARTIFACTS / "ballot-memorandum.png"), full_page=True)
    onsite.goto(f"{live_server.url}/governance/meetings/ga-11/")
    expect(onsite.locator("#results")).to_have_text("Results of the votes")
    expect(onsite.locator(".poll-result").nth(1)).to_contain_text("Phone City 0002")


def test_the_projector_shows_turnout_then_the_result_on_a_wall_and_on_a_phone(browser, live_server):
    expect = pytest.importorskip("playwright.sync_api").expect
    QuorumRuleFactory()
    cities = members(3, prefix="Screen City")
    meeting = MeetingFactory(
        slug="ga-12",
        title="12th General Assembly",
        number=12,
        date=dt.date(2030, 10, 8),
        convocation_date=dt.date(2030, 9, 10),
    )
    domain.meeting_convene(
        actor=None, meeting=meeting, convocation_date=dt.date(2030, 9, 10), notice="Notice"
    )
    attend(meeting, cities)
    domain.meeting_open(actor=None, meeting=meeting)
    item = AgendaItemFactory(meeting=meeting, number=3, title="Budget 2031", kind="approval")
    poll = domain.poll_open(item=item, kind="motion", method="secret", actor=None)
    yes = poll.options.get(choice="for").pk

    wall = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    phone = _context(browser, live_server, phone=True).new_page()
    url = f"{live_server.url}/governance/meetings/ga-12/projector/"
    wall.goto(url)
    phone.goto(url)
    expect(wall.locator("#projector-state")).to_have_text("Voting open")
    expect(wall.locator("#projector-turnout")).to_have_text("0 of 3 members voted")
    # The screen refreshes itself: a vote shows as turnout, never as a count.
    domain.poll_vote_cast(poll=poll, organisation=cities[0], option_ids=[yes], actor=None)
    for page in (wall, phone):
        expect(page.locator("#projector-turnout")).to_have_text("1 of 3 members voted")
        expect(page.locator("[role=progressbar]")).to_have_attribute("aria-valuenow", "1")
        expect(page.locator(".result-table")).to_have_count(0)
    size = wall.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('#projector-turnout')).fontSize)"
    )
    assert size >= 40  # readable from the back of the room
    ARTIFACTS.mkdir(exist_ok=True)
    wall.screenshot(path=str(ARTIFACTS / "projector-open-1920.png"))
    domain.poll_vote_cast(poll=poll, organisation=cities[1], option_ids=[yes], actor=None)
    domain.poll_close(poll=poll, actor=None)
    for page in (wall, phone):
        expect(page.locator("#projector-state")).to_have_text("Poll closed: adopted")
        expect(page.locator("#projector-turnout")).to_have_text("2 of 3 members voted")
        expect(page.locator(".result-table")).to_contain_text("For")
        assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    cells = wall.locator(".result-table td.num").all_inner_texts()
    assert cells == ["2", "0", "0"]  # a secret ballot's totals, nothing else
    wall.screenshot(path=str(ARTIFACTS / "projector-result-1920.png"))
    phone.screenshot(path=str(ARTIFACTS / "projector-result-phone.png"), full_page=True)
