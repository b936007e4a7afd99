"""Arrears by member in ageing buckets, and each fiscal year's collection."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories.dues import CreditNoteFactory, InvoiceFactory, PaymentFactory
from tests.factories.members import OrganisationFactory
from urbis.dues.queries.arrears import arrears, bucket_of, collection_by_year

pytestmark = pytest.mark.django_db
D = dt.date
AS_OF = D(2027, 4, 1)


@pytest.mark.parametrize(
    ("days", "bucket"), [(1, 0), (90, 0), (91, 1), (180, 1), (181, 2), (365, 2), (366, 3)]
)
def test_buckets_have_exact_bounds(days, bucket):
    assert bucket_of(days) == bucket


@pytest.fixture
def book(db):
    lyon, seoul = OrganisationFactory(name="Lyon"), OrganisationFactory(name="Seoul")
    # Lyon: 2025 due 2025-03-31 (731 days late), 2026 due 2026-12-31 (91 days late)
    InvoiceFactory(organisation=lyon, fiscal_year=2025, due_on=D(2025, 3, 31), number="2025-1")
    late = InvoiceFactory(
        organisation=lyon, fiscal_year=2026, due_on=D(2026, 12, 31), number="2026-1"
    )
    PaymentFactory(organisation=lyon, invoice=late, amount=Decimal(400))
    # Seoul: paid in full, one not yet due
    paid = InvoiceFactory(organisation=seoul, fiscal_year=2026, number="2026-2")
    PaymentFactory(organisation=seoul, invoice=paid, amount=Decimal(900))
    CreditNoteFactory(invoice=paid, amount=Decimal(100))
    InvoiceFactory(organisation=seoul, fiscal_year=2027, due_on=D(2027, 4, 30), number="2027-1")
    return lyon


def test_arrears_by_member_and_age(book):
    (row,) = arrears(as_of=AS_OF)
    assert (row.name, row.buckets, row.total, row.invoices) == (
        "Lyon",
        [Decimal(0), Decimal(600), Decimal(0), Decimal(1000)],
        Decimal(1600),
        ["2025-1", "2026-1"],
    )


def test_collection_by_year(book):
    years = {y.fiscal_year: y for y in collection_by_year()}
    assert sorted(years) == [2025, 2026, 2027]
    y2026 = years[2026]
    assert (y2026.invoices, y2026.invoiced, y2026.paid, y2026.credited, y2026.outstanding) == (
        2,
        Decimal(2000),
        Decimal(1300),
        Decimal(100),
        Decimal(600),
    )
    assert y2026.collected_share == Decimal("0.684")


def test_the_page_is_staff_only_and_query_guarded(
    client, staff_user, excom_user, book, django_assert_max_num_queries
):
    client.force_login(excom_user)
    assert client.get(reverse("dues:arrears")).status_code == 403
    client.force_login(staff_user)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("dues:arrears"), {"as_of": "2027-04-01"})
    assert page.status_code == 200
    assert "USD 1,600.00" in page.content.decode()
    assert client.get(reverse("dues:arrears"), {"as_of": "²"}).status_code == 200
