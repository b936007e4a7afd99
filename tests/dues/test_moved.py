"""Dues left the members app: old addresses still lead to the pages, and the data survives."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories.dues import InvoiceFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/members/dues/invoices/", "/dues/invoices/"),
        ("/members/dues/review/?as_of=2023-09-01", "/dues/review/?as_of=2023-09-01"),
        ("/members/dues/ledger/lyon/", "/dues/ledger/lyon/"),
        (
            "/members/dues/between-assemblies/?start=2021-10-01&end=2023-09-26",
            "/dues/between-assemblies/?start=2021-10-01&end=2023-09-26",
        ),
    ],
)
def test_old_addresses_redirect_keeping_the_query(client, old, new):
    response = client.get(old)
    assert response.status_code == 308
    assert response["Location"] == new


def test_a_form_posted_to_an_old_address_is_posted_again(client):
    response = client.post("/members/dues/invoices/issue/", {"year": "2024"})
    assert response.status_code == 308
    assert response["Location"] == reverse("dues:invoices-issue")


def test_the_new_addresses_are_under_dues():
    assert reverse("dues:invoices") == "/dues/invoices/"
    assert reverse("dues:invoice-pdf", args=["2024-0001"]) == "/dues/invoices/2024-0001.pdf"


def test_the_models_keep_their_tables():
    invoice = InvoiceFactory()
    assert invoice._meta.db_table == "members_invoice"
    assert invoice._meta.label == "dues.Invoice"
