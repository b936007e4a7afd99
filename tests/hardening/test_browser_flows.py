"""End to end in Debian's Chromium (Playwright), one flow per role; each saves screenshots
under test-artifacts/hardening/ and prints the folder.

- staff: records a new member, imports a payment, runs a status review;
- focal point: registers a delegate of its own member;
- the assembly: checks delegates in while the live quorum page, open beside, changes;
- evaluator: scores its assigned application and cannot open an unassigned or conflicted one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.test import Client

from tests.events.test_browser import browser  # noqa: F401 - the shared Chromium fixture
from tests.factories.dues import ReviewFlagFactory
from tests.factories.world import World, build_world
from urbis.common.actor import Actor
from urbis.dues.models import Payment, StatusReview
from urbis.events.models import Registration
from urbis.governance.models import CheckIn as GovernanceCheckIn
from urbis.members.models import Organisation
from urbis.prize import domain as prize_domain
from urbis.prize.models import Score

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "hardening"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world() -> World:
    w = build_world()
    ReviewFlagFactory(organisation=w.b, noted_on=dt.date(2023, 3, 1))
    prize_domain.round_open(
        actor=Actor.for_user(w.users["staff"]), round_=w.objects["round"]["own"]
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return w


def _page(browser, live_server, user, width=1200):  # noqa: F811
    client = Client()
    client.force_login(user)
    host = live_server.url.split("//", 1)[1].split(":")[0]
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "domain": host,
          "path": "/"}]
    )  # fmt: skip
    return context.new_page()


def _shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_staff_records_member_payment_and_review(browser, live_server, world, run_jobs):  # noqa: F811
    page = _page(browser, live_server, world.users["staff"])
    url = live_server.url
    page.goto(f"{url}/members/new/")
    page.fill("#id_name", "Browser City")
    page.select_option("#id_category", "local_government")
    page.select_option("#id_country", "KR")
    _shot(page, "staff-1-new-member")
    page.click("main form.form button[type=submit]")
    page.wait_for_url("**/members/browser-city/")
    assert Organisation.objects.filter(name="Browser City").exists()

    page.goto(f"{url}/dues/invoices/")
    csv = b"member,date,amount,reference\nfocal-city,2023-04-01,500.00,BROWSER-1\n"
    page.set_input_files(
        "input[name=file]", {"name": "payments.csv", "mimeType": "text/csv", "buffer": csv}
    )
    page.click("form[enctype] button[type=submit]")
    page.wait_for_load_state()
    _shot(page, "staff-2-payment-imported")
    assert Payment.objects.filter(reference="BROWSER-1").count() == 1

    page.goto(f"{url}/dues/review/?as_of=2023-09-01&select=all")
    page.fill("input[name=decision_ref]", "EXCOM 2023-9")
    _shot(page, "staff-3-review")
    page.click("text=Review the selection")
    page.wait_for_url("**/dues/review/confirm/")  # the effect is stated before applying
    page.once("dialog", lambda dialog: dialog.accept())  # applying asks with its effect
    page.click('main form button:has-text("Apply")')
    page.wait_for_url("**/jobs/**")  # queued for the task worker: its page follows it
    _shot(page, "staff-4-review-queued")
    assert run_jobs() == 2  # the review, and the receipt mail of the imported payment
    page.wait_for_selector('#job-status[data-state="succeeded"]', timeout=10_000)
    _shot(page, "staff-5-review-applied")
    assert StatusReview.objects.filter(decision_ref="EXCOM 2023-9").count() == 1
    print(f"\nstaff flow: screenshots in {ARTIFACTS}")


def test_focal_point_registers_a_delegate(browser, live_server, world):  # noqa: F811
    page = _page(browser, live_server, world.users["focal"])
    page.goto(f"{live_server.url}/events/ga-2023/register/")
    options = page.locator("#id_organisation option").all_inner_texts()
    assert "Other City" not in options, options
    page.select_option("#id_organisation", str(world.a.pk))
    page.fill("#id_person_name", "Browser Delegate")
    page.fill("#id_position", "Deputy Mayor")
    _shot(page, "focal-1-register")
    page.click("main button[type=submit]")
    page.wait_for_selector("#badge-code", timeout=10_000)
    _shot(page, "focal-2-registered")
    reg = Registration.objects.get(person_name="Browser Delegate")
    assert reg.organisation == world.a
    print(f"\nfocal point flow: screenshots in {ARTIFACTS}")


def test_assembly_checks_in_and_live_quorum_changes(browser, live_server, world):  # noqa: F811
    expect = pytest.importorskip("playwright.sync_api").expect
    meeting = world.objects["meeting"]["own"]
    # the world's assembly is a past one with published minutes; this one is sitting
    type(meeting).objects.filter(pk=meeting.pk).update(status="in_session")
    run = _page(browser, live_server, world.users["staff"])
    live = _page(browser, live_server, world.users["staff"])
    live.goto(f"{live_server.url}/governance/meetings/{meeting.slug}/live/")
    assert live.inner_text("[data-present]") == "0"
    _shot(live, "assembly-1-live-before")
    run.goto(f"{live_server.url}/governance/meetings/{meeting.slug}/run/")
    for n, side in enumerate(("own", "other"), start=1):
        delegate = world.objects["delegate"][side]
        run.click(f"#delegate-{delegate.pk} button[type=submit]")
        run.wait_for_selector(f"#delegate-{delegate.pk} .badge")
        # A locator assertion polls without evaluating script text (the CSP forbids eval).
        expect(live.locator("[data-present]")).to_have_text(str(n), timeout=10_000)
    _shot(run, "assembly-2-register")
    _shot(live, "assembly-3-live-after")
    assert GovernanceCheckIn.objects.count() == 2
    print(f"\nassembly flow: screenshots in {ARTIFACTS}")


def test_evaluator_scores_assigned_and_cannot_open_others(browser, live_server, world):  # noqa: F811
    page = _page(browser, live_server, world.users["evaluator"])
    own = world.objects["assignment"]["own"]
    page.goto(f"{live_server.url}/prize/reviews/{own.pk}/")
    for select in page.locator("main form select").all():
        select.select_option("4")
    _shot(page, "evaluator-1-scoring")
    page.click("text=Save review")
    page.wait_for_load_state()
    assert Score.objects.filter(assignment=own).count() == 6
    for side in ("other", "conflict"):
        response = page.goto(
            f"{live_server.url}/prize/reviews/{world.objects['assignment'][side].pk}/"
        )
        assert response is not None and response.status == 403, side
    _shot(page, "evaluator-2-refused")
    print(f"\nevaluator flow: screenshots in {ARTIFACTS}")
