"""End to end in Debian's Chromium (Playwright): staff record a payment on an invoice; the
member's focal point signs in, finds the invoice from the navigation, downloads its PDF, and
sees the payment and its receipt. Screenshots under test-artifacts/dues/."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client

from tests.events.test_browser import browser  # noqa: F401 - the shared Chromium fixture
from tests.factories.members import ContactFactory, UserFactory, member_since
from urbis.common import roles
from urbis.common.pdf import pdf_text
from urbis.dues.domain import ledger as domain
from urbis.dues.models import Payment
from urbis.dues.queries import ledger as queries

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "dues"
PASSWORD = "correct-horse-battery-staple"  # the factory's

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _with_role(username: str, role: str):
    from django.contrib.auth.models import Group

    user = UserFactory(username=username)
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def _shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_focal_point_finds_invoice_pdf_payment_and_receipt(browser, live_server):  # noqa: F811
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    staff = _with_role("treasurer", roles.STAFF)
    focal = _with_role("focal-busan", roles.FOCAL_POINT)
    city = member_since(dt.date(2015, 1, 1), name="Busan", country="KR", city="Busan")
    ContactFactory(organisation=city, user=focal, is_focal_point=True)
    domain.fee_schedules_load(schedules=queries.schedules_from_file(), actor=None)
    invoice = domain.invoice_issue(
        actor=staff, organisation=city, fiscal_year=2026, issued_on=dt.date(2026, 1, 5)
    )

    # staff record the payment on the invoice's page
    client = Client()
    client.force_login(staff)
    host = live_server.url.split("//", 1)[1].split(":")[0]
    staff_context = browser.new_context(viewport={"width": 1200, "height": 900})
    staff_context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "domain": host,
          "path": "/"}]
    )  # fmt: skip
    page = staff_context.new_page()
    page.goto(f"{live_server.url}/dues/invoices/{invoice.number}/")
    page.fill("#id_amount", "1,000.00")
    page.fill("#id_received_on", "2026-02-03")
    page.fill("#id_reference", "BANK-BUSAN-1")
    page.fill("#id_method", "bank transfer")
    _shot(page, "1-staff-payment-form")
    page.click("text=Record the payment")
    page.wait_for_selector("text=Payment recorded")
    payment = Payment.objects.get(reference="BANK-BUSAN-1")
    assert (payment.amount, payment.invoice_id) == (Decimal(1000), invoice.pk)
    staff_context.close()

    # the focal point signs in and finds its invoice from the navigation
    context = browser.new_context(viewport={"width": 1200, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "focal-busan")
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.click("nav >> text=My invoices")
    page.wait_for_url("**/dues/mine/")
    _shot(page, "2-focal-my-invoices")
    page.click(f"main >> text={invoice.number}")
    page.wait_for_url(f"**/dues/invoices/{invoice.number}/")
    _shot(page, "3-focal-invoice")
    assert page.locator("text=BANK-BUSAN-1").count() == 1
    assert page.locator("text=Record the payment").count() == 0  # staff only

    pdf = page.request.get(f"{live_server.url}/dues/invoices/{invoice.number}.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    text = " ".join(pdf_text(pdf.body()).split())
    assert f"Invoice {invoice.number}" in text
    assert "Payment received on 3 February 2026 (reference BANK-BUSAN-1)" in text

    receipt_link = page.locator(f"text={payment.receipt_number}")
    assert receipt_link.count() == 1
    receipt = page.request.get(live_server.url + receipt_link.get_attribute("href"))
    receipt_text = " ".join(pdf_text(receipt.body()).split())
    assert f"Receipt {payment.receipt_number}" in receipt_text
    assert "Amount received USD 1,000.00" in receipt_text
    context.close()
    print(f"\nfocal point flow: screenshots in {ARTIFACTS}")
