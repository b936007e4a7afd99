"""Every field of a payment is bounded, and every malformed row of a statement is answered
with its row and column: never an exception that reaches the user as a 500."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories.dues import InvoiceFactory
from tests.factories.members import member_since
from urbis.dues.domain import ledger as domain
from urbis.dues.models import Payment
from urbis.dues.rules import payments as rules

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2026, 6, 30)
HEADER = "member,fiscal_year,date,amount,currency,reference,method\n"


@pytest.mark.parametrize(
    ("text", "amount"),
    [("1500", Decimal(1500)), ("1,500.00", Decimal(1500)), ("0.01", Decimal("0.01")),
     ("1,000,000", Decimal(1000000))],
)  # fmt: skip
def test_amounts_in_bounds(text, amount):
    assert rules.parse_amount(text, ceiling=Decimal(1000000)) == amount


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0", "'0' is not a positive amount"),
        ("-5", "'-5' is not a positive amount"),
        ("1²", "'1²' is not a positive amount"),
        ("1,50", "'1,50' is not a positive amount"),
        ("1.001", "'1.001' is not a positive amount"),
        ("1e3", "'1e3' is not a positive amount"),
        ("NaN", "'NaN' is not a positive amount"),
        ("1,000,000.01", "1,000,000.01 is above the ceiling of 1,000,000.00"),
        ("99,999,999,999,999.99", "99,999,999,999,999.99 is above the ceiling of 1,000,000.00"),
    ],
)
def test_amounts_out_of_bounds(text, message):
    with pytest.raises(rules.FieldError, match=f"^{message}$".replace(".", r"\.")):
        rules.parse_amount(text, ceiling=Decimal(1000000))


@pytest.mark.parametrize(
    ("parse", "text"),
    [
        (lambda v: rules.parse_received_on(v, today=TODAY), "2026-07-01"),  # tomorrow
        (lambda v: rules.parse_received_on(v, today=TODAY), "1999-12-31"),
        (lambda v: rules.parse_received_on(v, today=TODAY), "2026-02-30"),
        (rules.parse_currency, "XYZ"),
        (rules.parse_currency, "US"),
        (lambda v: rules.parse_fiscal_year(v, today=TODAY), "²⁰²⁶"),
        (lambda v: rules.parse_fiscal_year(v, today=TODAY), "0"),
        (lambda v: rules.parse_fiscal_year(v, today=TODAY), "99999"),
        (lambda v: rules.parse_fiscal_year(v, today=TODAY), "2028"),
    ],
)
def test_other_fields_out_of_bounds(parse, text):
    with pytest.raises(rules.FieldError):
        parse(text)


def test_currency_and_year_in_bounds():
    assert rules.parse_currency(" eur ") == "EUR"
    assert rules.parse_fiscal_year("2027", today=TODAY) == 2027


def test_every_malformed_row_is_named_and_nothing_is_written(staff_user):
    org = member_since(D(2015, 1, 1), name="Seoul", country="KR")
    InvoiceFactory(organisation=org, fiscal_year=2023)
    text = HEADER + (
        "Seoul,2023,2023-03-01,100,USD,TX-1,\n"
        "Seoul,²⁰²³,2023-03-01,100,USD,TX-2,\n"
        "Seoul,2023,2023-03-01,99999999999999.99,USD,TX-3,\n"
        "Seoul,,2023-03-01,1²,XYZ,TX-4,\n"
        f"Seoul,,2023-03-01,10,USD,{'R' * 81},\n"
    )
    with pytest.raises(ValidationError) as exc:
        domain.payments_import(actor=staff_user, data=text.encode(), name="payments.csv")
    assert exc.value.messages == [
        f"row 3: fiscal_year: '²⁰²³' is not a fiscal year from 2000 to {dt.date.today().year + 1}",
        "row 4: amount: 99,999,999,999,999.99 is above the ceiling of 1,000,000.00",
        "row 5: amount: '1²' is not a positive amount",
        "row 5: currency: 'XYZ' is not an ISO currency code such as USD",
        "row 6: reference: longer than 80 characters",
    ]
    assert Payment.objects.count() == 0


def test_a_trailing_comma_is_a_row_error(staff_user):
    member_since(D(2015, 1, 1), name="Seoul", country="KR")
    text = HEADER + "Seoul,,2023-03-01,100,USD,TX-1,wire,\n"
    with pytest.raises(ValidationError) as exc:
        domain.payments_import(actor=staff_user, data=text.encode(), name="payments.csv")
    assert exc.value.messages == ["row 2: columns: more cells than the header's 7 columns"]


def test_the_upload_page_answers_malformed_files_without_a_500(client, staff_user):
    member_since(D(2015, 1, 1), name="Seoul", country="KR")
    client.force_login(staff_user)
    for body in (HEADER + "Seoul,,2023-03-01,100,USD,TX-1,wire,\n", HEADER + "Seoul,²,x,²,,,\n"):
        upload = SimpleUploadedFile("pay.csv", body.encode(), content_type="text/csv")
        response = client.post(reverse("dues:payments-import"), {"file": upload}, follow=True)
        assert response.status_code == 200
        assert b"nothing imported" in response.content
    assert Payment.objects.count() == 0


def test_the_payment_form_names_the_field_and_refuses_a_duplicate(client, staff_user):
    org = member_since(D(2015, 1, 1), name="Seoul", country="KR")
    invoice = InvoiceFactory(organisation=org, fiscal_year=2023, number="2023-0001")
    client.force_login(staff_user)
    url = reverse("dues:invoice-payment", args=[invoice.number])
    good = {"amount": "1,000.00", "received_on": "2023-05-01", "currency": "USD",
            "reference": "BANK-9", "method": "transfer"}  # fmt: skip
    response = client.post(url, good)
    assert response.status_code == 302
    payment = Payment.objects.get()
    assert (payment.amount, payment.invoice, payment.receipt_number) == (
        Decimal(1000),
        invoice,
        "R-2023-0001",
    )
    again = client.post(url, good)
    assert again.status_code == 409
    assert b"Payment &#x27;BANK-9&#x27; is already recorded." in again.content
    bad = client.post(url, {**good, "amount": "²", "reference": "BANK-10"})
    assert bad.status_code == 400
    assert b"&#x27;\xc2\xb2&#x27; is not a positive amount" in bad.content
    assert Payment.objects.count() == 1
