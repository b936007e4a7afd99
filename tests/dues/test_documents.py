"""Invoices, credit notes and receipts: gap-free numbers per fiscal year, due dates from the
policy, and PDFs that a member can read (checked on their text layer)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories.members import ContactFactory, UserFactory, member_since
from urbis.common.pdf import pdf_text
from urbis.dues.domain import ledger as domain
from urbis.dues.models import DocumentSequence, Invoice, Payment
from urbis.dues.queries import ledger as queries

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def schedules(db):
    return domain.fee_schedules_load(schedules=queries.schedules_from_file(), actor=None)


def _city(name: str, country: str = "KR"):
    return member_since(D(2015, 1, 1), name=name, country=country, city=name)


def test_invoice_numbers_run_without_gaps_per_fiscal_year(schedules, staff_user):
    first, second, third = (_city(n) for n in ("Anyang", "Busan", "Changwon"))
    on = D(2026, 1, 5)
    numbers = [
        domain.invoice_issue(actor=staff_user, organisation=o, fiscal_year=y, issued_on=on).number
        for o, y in ((first, 2026), (second, 2026), (first, 2027), (third, 2026))
    ]
    assert numbers == ["2026-0001", "2026-0002", "2027-0001", "2026-0003"]


def test_a_refused_issue_gives_its_number_back(schedules, staff_user):
    org = _city("Daegu")
    domain.invoice_issue(actor=staff_user, organisation=org, fiscal_year=2026)
    with pytest.raises(ValidationError, match="already has an invoice for 2026"):
        domain.invoice_issue(actor=staff_user, organisation=org, fiscal_year=2026)
    other = domain.invoice_issue(actor=staff_user, organisation=_city("Ulsan"), fiscal_year=2026)
    assert other.number == "2026-0002"
    assert DocumentSequence.objects.get(kind="invoice", fiscal_year=2026).last == 2


def test_bulk_issue_numbers_in_order_and_dates_from_the_policy(schedules, staff_user):
    for name in ("Gimhae", "Gwangju", "Jeonju"):
        _city(name)
    result = domain.invoices_issue(actor=staff_user, fiscal_year=2026, issued_on=D(2026, 5, 4))
    assert [(i.number, i.due_on) for i in result.created] == [
        ("2026-0001", D(2026, 6, 3)),
        ("2026-0002", D(2026, 6, 3)),
        ("2026-0003", D(2026, 6, 3)),
    ]
    assert all("/" not in i.wording and "[example" not in i.wording for i in result.created)


def test_credit_notes_and_receipts_are_numbered_by_their_own_sequences(staff_user, schedules):
    org = _city("Suwon")
    invoice = domain.invoice_issue(
        actor=staff_user, organisation=org, fiscal_year=2026, issued_on=D(2026, 1, 5)
    )
    notes = [
        domain.credit_note_issue(
            actor=staff_user, invoice=invoice, amount=Decimal(10), reason="Bank charges",
            issued_on=D(2026, 2, 1),
        ).number
        for _ in range(2)
    ]  # fmt: skip
    payment = domain.payment_record(
        actor=staff_user,
        organisation=org,
        invoice=invoice,
        amount=Decimal(100),
        received_on=D(2026, 2, 3),
        reference="BANK-77",
    )
    assert notes == ["CN-2026-0001", "CN-2026-0002"]
    assert payment.receipt_number == "R-2026-0001"


def test_a_number_entered_before_the_sequence_is_stepped_over(staff_user, schedules):
    """A payment recorded with a receipt number outside the sequence (an import of earlier
    records) no longer makes the next receipt collide with it (it answered 500)."""
    org = _city("Pohang")
    invoice = domain.invoice_issue(
        actor=staff_user, organisation=org, fiscal_year=2026, issued_on=D(2026, 1, 5)
    )
    Payment.objects.create(
        organisation=org, invoice=invoice, amount=Decimal(5), received_on=D(2026, 1, 6),
        receipt_number="R-2026-0001", reference="OLD-1",
    )  # fmt: skip
    payment = domain.payment_record(
        actor=staff_user, organisation=org, invoice=invoice, amount=Decimal(100),
        received_on=D(2026, 2, 3), reference="BANK-78",
    )  # fmt: skip
    assert payment.receipt_number == "R-2026-0002"
    assert DocumentSequence.objects.get(kind="receipt", fiscal_year=2026).last == 2


def _focal_client(client, org):
    user = UserFactory()
    ContactFactory(organisation=org, user=user, is_focal_point=True)
    client.force_login(user)
    return client


def test_the_invoice_pdf_can_be_sent(client, schedules, staff_user):
    org = _city("Seongnam")
    invoice = domain.invoice_issue(
        actor=staff_user, organisation=org, fiscal_year=2026, issued_on=D(2026, 1, 5)
    )
    domain.payment_record(
        actor=staff_user, organisation=org, invoice=invoice, amount=Decimal("1000.5"),
        received_on=D(2026, 2, 3), reference="BANK-1",
    )  # fmt: skip
    pdf = _focal_client(client, org).get(reverse("dues:invoice-pdf", args=[invoice.number]))
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(pdf.content).split())
    for expected in (
        "World Smart Sustainable Cities Organization (WeGO) Secretariat",
        "Seoul 03188, Republic of Korea",
        "Invoice 2026-0001",
        "Issued on 5 January 2026",
        "Due by 31 March 2026",
        f"Annual membership fee, fiscal year 2026 {invoice.currency} {invoice.amount:,.2f}",
        "Payment received on 3 February 2026 (reference BANK-1)",
        f"Balance due {invoice.currency} {invoice.amount - Decimal('1000.50'):,.2f}",
        "Local government: the GDP per capita (PPP) of South Korea",
        "Payment reference 2026-0001",
        "SWIFT/BIC",
        "The bank details above are an example",
    ):
        assert expected in text, expected
    for code in ("local_government", "[example", "NY.GDP"):
        assert code not in text


def test_credit_note_and_receipt_pdfs(client, staff_user):
    org = _city("Incheon")
    invoice = Invoice.objects.create(
        organisation=org, fiscal_year=2026, number="2026-0042", issued_on=D(2026, 1, 5),
        due_on=D(2026, 3, 31), amount=Decimal(1500),
    )  # fmt: skip
    note = domain.credit_note_issue(
        actor=staff_user, invoice=invoice, amount=Decimal(500), reason="Joined in July",
        issued_on=D(2026, 7, 1),
    )  # fmt: skip
    payment = domain.payment_record(
        actor=staff_user, organisation=org, invoice=invoice, amount=Decimal(600),
        received_on=D(2026, 7, 9), reference="TRX-9", method="bank transfer",
    )  # fmt: skip
    client = _focal_client(client, org)
    note_text = " ".join(
        pdf_text(client.get(reverse("dues:credit-note-pdf", args=[note.number])).content).split()
    )
    assert "Credit note CN-2026-0001" in note_text
    assert "On invoice 2026-0042 (fiscal year 2026)" in note_text
    assert "Joined in July USD 500.00" in note_text
    assert "Balance of the invoice now due USD 400.00" in note_text
    receipt = client.get(reverse("dues:receipt-pdf", args=[payment.receipt_number]))
    receipt_text = " ".join(pdf_text(receipt.content).split())
    assert "Receipt R-2026-0001" in receipt_text
    assert "Amount received USD 600.00" in receipt_text
    assert "Received on 9 July 2026" in receipt_text
    assert "Applied to invoice 2026-0042 (fiscal year 2026)" in receipt_text
    assert "Balance of the invoice still due USD 400.00" in receipt_text


def test_another_member_cannot_read_the_documents(client, staff_user):
    org, other = _city("Pohang"), _city("Mokpo")
    invoice = Invoice.objects.create(
        organisation=org, fiscal_year=2026, number="2026-0050", issued_on=D(2026, 1, 5),
        due_on=D(2026, 3, 31), amount=Decimal(1500),
    )  # fmt: skip
    payment = domain.payment_record(
        actor=staff_user, organisation=org, invoice=invoice, amount=Decimal(600),
        received_on=D(2026, 7, 9), reference="TRX-10",
    )  # fmt: skip
    client = _focal_client(client, other)
    assert client.get(reverse("dues:receipt-pdf", args=[payment.receipt_number])).status_code == 403
    assert client.get(reverse("dues:receipt-pdf", args=["R-1999-0001"])).status_code == 404
