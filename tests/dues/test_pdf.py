"""The dues documents in the reader's language: a mailed PDF in each focal point's contact
language, a downloaded one in the page's; English stays the text the other tests check."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories.members import ContactFactory, UserFactory, member_since
from tests.messaging.conftest import smtp_server  # noqa: F401  (the fixture)
from urbis.common.pdf import pdf_text
from urbis.dues import mail
from urbis.dues.domain import ledger as domain
from urbis.dues.models import Invoice
from urbis.dues.queries import ledger as queries
from urbis.messaging.domain import outbox_send

pytestmark = pytest.mark.django_db
D = dt.date


def _text(data: bytes) -> str:
    return " ".join(pdf_text(data).split())


def _attached_pdf_text(smtp, address: str) -> str:
    (received,) = smtp.to(address)
    (pdf,) = list(received.message.iter_attachments())
    return _text(pdf.get_content())


def test_each_focal_point_gets_the_invoice_in_their_language(staff_user, smtp_server):  # noqa: F811
    domain.fee_schedules_load(schedules=queries.schedules_from_file(), actor=None)
    org = member_since(D(2015, 1, 1), name="Harbourton", country="KR")
    ContactFactory(
        organisation=org, name="Hana", email="hana@harbourton.example", is_focal_point=True,
        language="ko",
    )  # fmt: skip
    ContactFactory(
        organisation=org, name="Alex", email="alex@harbourton.example", is_focal_point=True,
        language="en",
    )  # fmt: skip
    invoice = domain.invoice_issue(
        actor=staff_user, organisation=org, fiscal_year=2031, issued_on=D(2031, 1, 10)
    )
    assert mail.documents_mail(invoice_ids=[invoice.pk], payment_ids=[], actor=None) == 2
    outbox_send()
    korean = _attached_pdf_text(smtp_server, "hana@harbourton.example")
    for expected in (
        f"청구서 {invoice.number}",
        "납부 기한 2031년 3월 31일",
        "2031 회계연도 연회비 USD 5,000.00",
        "납부할 잔액 USD 5,000.00",
    ):
        assert expected in korean, (expected, korean)
    assert "Invoice" not in korean and "Due by" not in korean
    english = _attached_pdf_text(smtp_server, "alex@harbourton.example")
    for expected in (
        f"Invoice {invoice.number}",
        "Due by 31 March 2031",
        "Annual membership fee, fiscal year 2031 USD 5,000.00",
        "Balance due USD 5,000.00",
    ):
        assert expected in english, expected
    assert "청구서" not in english


def test_a_french_member_downloads_the_receipt_in_french(client, staff_user):
    org = member_since(D(2015, 1, 1), name="Lyonnais", country="FR", city="Lyon")
    invoice = Invoice.objects.create(
        organisation=org, fiscal_year=2026, number="2026-0042", issued_on=D(2026, 1, 5),
        due_on=D(2026, 3, 31), amount=Decimal(1500),
    )  # fmt: skip
    payment = domain.payment_record(
        actor=staff_user, organisation=org, invoice=invoice, amount=Decimal(1200),
        received_on=D(2026, 7, 9), reference="TRX-9",
    )  # fmt: skip
    user = UserFactory()
    ContactFactory(organisation=org, user=user, is_focal_point=True, language="fr")
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.get(reverse("dues:receipt-pdf", args=[payment.receipt_number]))
    text = _text(response.content)
    for expected in (
        "Reçu R-2026-0001",
        "Montant reçu 1 200,00 USD",
        "Reçu le 9 juillet 2026",
        "Référence du paiement TRX-9",
        "Affecté à facture 2026-0042 (exercice 2026)",
        "Solde de la facture restant dû 300,00 USD",
    ):
        assert expected in text, (expected, text)
    for english in ("Receipt", "Amount received", "July", "With thanks"):
        assert english not in text
    # The same receipt without a language chosen stays the English text.
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME)
    text = _text(client.get(reverse("dues:receipt-pdf", args=[payment.receipt_number])).content)
    assert "Receipt R-2026-0001" in text
    assert "Amount received USD 1,200.00" in text
    assert "Received on 9 July 2026" in text
