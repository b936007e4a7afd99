"""A focal point's own space: one page and one API answer with every section."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.factories.dues import InvoiceFactory, PaymentFactory
from tests.factories.members import ContactFactory, OrganisationFactory, UserFactory
from urbis.messaging.models import Message

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(focal_point):
    user, org = focal_point
    invoice = InvoiceFactory(organisation=org, fiscal_year=2031, number="2031-0007")
    PaymentFactory(
        organisation=org,
        invoice=invoice,
        amount=Decimal("400.00"),
        received_on=dt.date(2031, 2, 1),
        reference="BANK-1",
        receipt_number="R-2031-0001",
    )
    other = OrganisationFactory(name="Other City")
    InvoiceFactory(organisation=other, fiscal_year=2031, number="2031-0008")
    return user, org, invoice


def test_the_page_shows_the_members_invoices_payments_and_balance(client, ledger):
    user, _org, _invoice = ledger
    client.force_login(user)
    response = client.get("/members/mine/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "2031-0007" in html
    assert "/dues/invoices/2031-0007.pdf" in html
    assert "/dues/receipts/R-2031-0001.pdf" in html
    assert "Open balance: USD 600.00." in html
    assert "2031-0008" not in html  # another member's invoice
    for title in ("Invoices", "Payments", "Event registrations", "Prize applications"):
        assert f">{title}</h2>" in html
    assert ">Meetings and votes</h2>" in html
    assert ">Messages received</h2>" in html


def test_the_api_answers_what_the_page_shows(client, ledger):
    user, org, _invoice = ledger
    client.force_login(user)
    body = client.get("/api/v1/members/mine").json()
    assert [o["slug"] for o in body["organisations"]] == [org.slug]
    sections = {s["key"]: s for s in body["sections"]}
    assert list(sections) == [
        "invoices",
        "payments",
        "registrations",
        "prize",
        "meetings",
        "messages",
    ]
    invoices = sections["invoices"]
    assert invoices["rows"][0]["cells"] == [
        "2031-0007",
        "Focal City",
        "2031",
        "2031-03-31",
        "USD 1,000.00",
        "USD 400.00",
        "USD 600.00",
    ]
    assert invoices["rows"][0]["links"][1] == {
        "label": "PDF",
        "url": "/dues/invoices/2031-0007.pdf",
    }
    assert sections["payments"]["rows"][0]["links"] == [
        {"label": "Receipt", "url": "/dues/receipts/R-2031-0001.pdf"}
    ]


def test_messages_sent_to_the_members_contacts_are_listed(client, focal_point):
    user, org = focal_point
    ContactFactory(organisation=org, email="mayor@focal.example")
    common = {
        "from_address": "secretariat@example.org",
        "body_text": "…",
        "next_attempt_at": dt.datetime(2031, 1, 1, tzinfo=dt.UTC),
    }
    Message.objects.create(
        kind="t",
        to_address="mayor@focal.example",
        subject="Your invoice",
        message_id="a@x",
        **common,
    )
    Message.objects.create(
        kind="t", to_address="someone@else.example", subject="Not yours", message_id="b@x", **common
    )
    client.force_login(user)
    body = client.get("/api/v1/members/mine").json()
    messages = next(s for s in body["sections"] if s["key"] == "messages")
    assert [r["cells"][1] for r in messages["rows"]] == ["Your invoice"]


def test_an_account_that_is_no_focal_point_gets_empty_lists(client):
    client.force_login(UserFactory(username="nobody", email=""))
    assert client.get("/api/v1/members/mine").json() == {"organisations": [], "sections": []}
    assert "not the focal point" in client.get("/members/mine/").content.decode()


def test_anonymous_callers_are_asked_to_sign_in(client):
    assert client.get("/api/v1/members/mine").status_code == 401
    assert client.get("/members/mine/").status_code == 302


def test_the_page_costs_the_same_queries_for_more_rows(client, ledger):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user, org, _invoice = ledger
    client.force_login(user)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/members/mine/").status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for year in (2028, 2029, 2030):
        invoice = InvoiceFactory(organisation=org, fiscal_year=year, number=f"{year}-0001")
        PaymentFactory(organisation=org, invoice=invoice, receipt_number=f"R-{year}-0001")
    assert count() == few
