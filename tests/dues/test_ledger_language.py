"""A member's ledger reads in the page's language: the descriptions computed for its lines."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from tests.factories.dues import InvoiceFactory, PaymentFactory
from urbis.dues.queries.ledger import ledger

pytestmark = pytest.mark.django_db


def test_the_ledger_lines_are_described_in_the_active_language():
    invoice = InvoiceFactory(fiscal_year=2022)
    PaymentFactory(organisation=invoice.organisation, invoice=invoice, amount=Decimal("400"))
    PaymentFactory(organisation=invoice.organisation, invoice=None, amount=Decimal("100"))
    english = [line.description for line in ledger(invoice.organisation).lines]
    assert english == [
        "Membership fee FY2022",
        f"Payment on {invoice.number}",
        "Payment on account",
    ]
    with translation.override("fr"):
        french = [line.description for line in ledger(invoice.organisation).lines]
    assert french == [
        "Cotisation de l'exercice 2022",
        f"Paiement de {invoice.number}",
        "Paiement en acompte",
    ]
