"""End to end in Debian's Chromium (Playwright): a focal point signs in, opens its member's
space, downloads its invoice and sees the payment staff recorded with its receipt; an
applicant applies through the public form and an EXCOM decision admits the member.
Screenshots under test-artifacts/members/."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from tests.events.test_browser import browser  # noqa: F401 - the shared Chromium fixture
from tests.factories.governance import (
    MeetingFactory,
    OfficeTermFactory,
    QuorumRuleFactory,
    members,
)
from tests.factories.members import ContactFactory, UserFactory, member_since
from tests.governance.conftest import attend
from urbis.common import roles
from urbis.common.pdf import pdf_text
from urbis.dues.domain import ledger as dues_domain
from urbis.dues.queries import ledger as dues_queries
from urbis.governance import domain as governance
from urbis.governance.models import AgendaItem
from urbis.members.models import Contact, MembershipApplication
from urbis.messaging.models import Message

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "members"
PASSWORD = "correct-horse-battery-staple"  # the factory's

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _with_role(username: str, role: str):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def _shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _staff_context(browser, live_server, staff):  # noqa: F811
    client = Client()
    client.force_login(staff)
    host = live_server.url.split("//", 1)[1].split(":")[0]
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "domain": host,
          "path": "/"}]
    )  # fmt: skip
    return context


def test_focal_point_finds_invoice_payment_and_receipt_in_its_space(browser, live_server):  # noqa: F811
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    staff = _with_role("treasurer", roles.STAFF)
    focal = _with_role("focal-lagos", roles.FOCAL_POINT)
    city = member_since(dt.date(2016, 1, 1), name="Lagoon City", country="NG", city="Lagoon")
    ContactFactory(organisation=city, user=focal, is_focal_point=True)
    dues_domain.fee_schedules_load(schedules=dues_queries.schedules_from_file(), actor=None)
    invoice = dues_domain.invoice_issue(
        actor=staff, organisation=city, fiscal_year=2026, issued_on=dt.date(2026, 1, 5)
    )

    staff_context = _staff_context(browser, live_server, staff)
    page = staff_context.new_page()
    page.goto(f"{live_server.url}/dues/invoices/{invoice.number}/")
    page.fill("#id_amount", str(invoice.amount))
    page.fill("#id_received_on", "2026-02-03")
    page.fill("#id_reference", "BANK-LAGOON-1")
    page.fill("#id_method", "bank transfer")
    page.click("text=Record the payment")
    page.wait_for_selector("text=Payment recorded")
    staff_context.close()

    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "focal-lagos")
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.click("nav >> text=My member")
    page.wait_for_url("**/members/mine/")
    _shot(page, "1-focal-space")
    invoices = page.locator("#invoices")
    assert invoices.locator(f"text={invoice.number}").count() == 1
    assert "Open balance: none." in invoices.inner_text()
    pdf_href = invoices.locator("a", has_text="PDF").first.get_attribute("href")
    pdf = page.request.get(live_server.url + pdf_href)
    assert pdf.headers["content-type"] == "application/pdf"
    assert f"Invoice {invoice.number}" in " ".join(pdf_text(pdf.body()).split())

    payments = page.locator("#payments")
    assert invoice.number in payments.inner_text()
    receipt_href = payments.locator("a", has_text="Receipt").first.get_attribute("href")
    receipt = page.request.get(live_server.url + receipt_href)
    assert receipt.headers["content-type"] == "application/pdf"
    assert "Receipt R-2026-" in " ".join(pdf_text(receipt.body()).split())
    context.close()


def test_an_applicant_applies_and_an_excom_decision_admits_the_member(browser, live_server):  # noqa: F811
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    staff = _with_role("secretary", roles.STAFF)
    QuorumRuleFactory(body="excom", numerator=1, denominator=2)
    board = members(2, prefix="Board")
    for city in board:
        OfficeTermFactory(kind="excom_member", organisation=city, start=dt.date(2020, 1, 1))
    today = timezone.localdate()
    meeting = MeetingFactory(
        body="excom", slug="excom-next", title="EXCOM meeting", date=today,
        convocation_date=today - dt.timedelta(days=20),
    )  # fmt: skip
    attend(meeting, board, actor=staff)

    # the applicant, not signed in, finds the form from the directory
    context = browser.new_context(viewport={"width": 1200, "height": 1400})
    page = context.new_page()
    page.goto(f"{live_server.url}/members/")
    page.click("main >> text=Apply for membership")
    page.wait_for_url("**/members/apply/")
    page.fill("#id_name", "Harbour City")
    page.select_option("#id_category", "local_government")
    page.select_option("#id_country", "PT")
    page.fill("#id_motivation", "To share our open-data work.")
    page.fill("#id_contact_name", "Ana Lima")
    page.fill("#id_contact_email", "ana.lima@harbour.example")
    page.check("#id_consent_statutes")
    _shot(page, "2-apply")
    page.click("text=Send the application")
    page.wait_for_selector("text=Application received")
    application = MembershipApplication.objects.get()
    assert page.locator(f"text={application.reference}").count() == 1
    context.close()

    # the secretariat checks it and puts it on the EXCOM's agenda
    staff_context = _staff_context(browser, live_server, staff)
    page = staff_context.new_page()
    page.goto(f"{live_server.url}/members/applications/")
    page.click(f"text={application.reference}")
    page.click("text=Mark as checked")
    page.wait_for_selector("text=checked.")
    page.select_option("select[name=meeting]", "excom-next")
    page.click("text=Put on the agenda")
    page.wait_for_selector("text=is on EXCOM meeting, agenda 1")

    # the EXCOM adopts the item
    item = AgendaItem.objects.get(meeting=meeting)
    assert governance.decision_record(actor=staff, agenda_item=item).result == "adopted"
    page.reload()
    _shot(page, "3-approved")
    assert "decided by EXCOM meeting, agenda 1" in page.inner_text("main")
    page.click("text=Harbour City in the registry")
    page.wait_for_url("**/members/harbour-city/")
    staff_context.close()
    focal = Contact.objects.get(organisation__name="Harbour City", is_focal_point=True)
    assert focal.user.email == "ana.lima@harbour.example"
    assert (
        Message.objects.filter(
            kind="accounts.invitation", to_address="ana.lima@harbour.example"
        ).count()
        == 1
    )
