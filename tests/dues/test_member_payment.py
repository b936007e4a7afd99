"""A payment recorded from the member's dues page and through the API: on an invoice or on
account, every field bounded, a reference already recorded refused."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.factories.dues import InvoiceFactory
from urbis.dues.models import Payment

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoice(focal_point):
    return InvoiceFactory(organisation=focal_point[1], fiscal_year=2026, number="2026-0042")


def test_the_member_page_records_a_payment_on_an_invoice(client, staff_user, invoice):
    client.force_login(staff_user)
    url = f"/dues/ledger/{invoice.organisation.slug}/"
    assert "Record the payment" in client.get(url).content.decode()
    response = client.post(
        url + "payment/",
        {"invoice": "2026-0042", "amount": "1,000.00", "received_on": "2026-02-03",
         "currency": "USD", "reference": "BANK-42", "method": "bank transfer"},
    )  # fmt: skip
    assert response.status_code == 302
    payment = Payment.objects.get()
    assert (payment.invoice, payment.amount, payment.reference) == (
        invoice,
        Decimal("1000.00"),
        "BANK-42",
    )
    assert payment.receipt_number == "R-2026-0001"


def test_a_bad_field_is_named_and_nothing_is_written(client, staff_user, invoice):
    client.force_login(staff_user)
    response = client.post(
        f"/dues/ledger/{invoice.organisation.slug}/payment/",
        {"invoice": "", "amount": "²", "received_on": "2026-02-03", "currency": "XYZ"},
    )
    assert response.status_code == 400
    errors = response.context["payment_form"].errors
    assert errors["amount"] == ["'²' is not a positive amount"]
    assert errors["currency"] == ["'XYZ' is not an ISO currency code such as USD"]
    assert not Payment.objects.exists()


def test_a_focal_point_sees_no_form_and_may_not_post(client, focal_point, invoice):
    client.force_login(focal_point[0])
    url = f"/dues/ledger/{invoice.organisation.slug}/"
    assert "Record the payment" not in client.get(url).content.decode()
    assert client.post(url + "payment/", {"amount": "1"}).status_code == 403


def test_the_api_records_on_account_and_refuses_a_repeated_reference(client, staff_user, invoice):
    client.force_login(staff_user)
    url = f"/api/v1/dues/members/{invoice.organisation.slug}/payments"
    body = {"amount": "250.00", "received_on": "2026-02-03", "reference": "BANK-7"}
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["invoice"] is None
    assert response.json()["receipt_number"] == "R-2026-0001"
    again = client.post(url, body, content_type="application/json")
    assert again.status_code == 409
    bad = client.post(
        url, {**body, "amount": "0", "invoice": "nope"}, content_type="application/json"
    )
    assert bad.status_code == 422
    assert set(bad.json()["errors"]) == {"amount", "invoice"}
