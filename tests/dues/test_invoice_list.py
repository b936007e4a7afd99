"""The treasurer's invoice list: filters, totals, pages, export; bad parameters answered
clearly (never a 500); the query count does not grow with the rows."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories.dues import InvoiceFactory, PaymentFactory
from tests.factories.members import OrganisationFactory
from urbis.common.models import CountryRegion, Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def book(db):
    asia = Region.objects.create(code="asia-pacific", name="Asia-Pacific")
    CountryRegion.objects.create(country="KR", region=asia)
    seoul = OrganisationFactory(name="Seoul", country="KR")
    lyon = OrganisationFactory(name="Lyon", country="FR")
    acme = OrganisationFactory(name="Acme", category="corporation", country="KR")
    paid = InvoiceFactory(organisation=seoul, fiscal_year=2026, number="2026-0001")
    PaymentFactory(organisation=seoul, invoice=paid, amount=Decimal(1000))
    InvoiceFactory(organisation=lyon, fiscal_year=2026, number="2026-0002", amount=Decimal(1500))
    InvoiceFactory(organisation=acme, fiscal_year=2026, number="2026-0003", amount=Decimal(2000))
    InvoiceFactory(organisation=lyon, fiscal_year=2025, number="2025-0001")


def _numbers(page) -> list[str]:
    return [i.number for i in page.context["invoices"]]


@pytest.mark.parametrize(
    ("query", "numbers"),
    [
        ({}, ["2026-0003", "2025-0001", "2026-0002", "2026-0001"]),
        ({"year": "2026"}, ["2026-0003", "2026-0002", "2026-0001"]),
        ({"state": "open"}, ["2026-0003", "2025-0001", "2026-0002"]),
        ({"state": "settled"}, ["2026-0001"]),
        ({"category": "corporation"}, ["2026-0003"]),
        ({"region": "asia-pacific"}, ["2026-0003", "2026-0001"]),
        ({"q": "lyo"}, ["2025-0001", "2026-0002"]),
        ({"q": "2026-0002"}, ["2026-0002"]),
    ],
)
def test_filters(client, staff_user, book, query, numbers):
    client.force_login(staff_user)
    assert _numbers(client.get(reverse("dues:invoices"), query)) == numbers


def test_totals_cover_the_filtered_set(client, staff_user, book):
    client.force_login(staff_user)
    totals = client.get(reverse("dues:invoices"), {"year": "2026"}).context["totals"]
    assert (totals.count, totals.amount, totals.paid, totals.balance) == (
        3,
        Decimal("4500.00"),
        Decimal("1000.00"),
        Decimal("3500.00"),
    )


def test_pages_and_export(client, staff_user, book):
    client.force_login(staff_user)
    for n in range(60):
        InvoiceFactory(organisation=OrganisationFactory(name=f"Z{n:02d}"), fiscal_year=2024)
    first = client.get(reverse("dues:invoices"))
    assert (len(first.context["invoices"]), first.context["page"].paginator.num_pages) == (50, 2)
    second = client.get(reverse("dues:invoices"), {"page": "2"})
    assert len(second.context["invoices"]) == 14
    csv = client.get(reverse("dues:invoices"), {"year": "2026", "format": "csv"})
    lines = csv.content.decode().splitlines()
    assert (
        lines[0]
        == "number,member,fiscal_year,issued_on,due_on,currency,amount,paid,credited,balance"
    )
    assert lines[1:] == [
        "2026-0003,Acme,2026,2026-01-15,2026-03-31,USD,2000.00,0.00,0.00,2000.00",
        "2026-0002,Lyon,2026,2026-01-15,2026-03-31,USD,1500.00,0.00,0.00,1500.00",
        "2026-0001,Seoul,2026,2026-01-15,2026-03-31,USD,1000.00,1000.00,0.00,0.00",
    ]


def test_query_count_does_not_grow_with_rows(
    client, staff_user, book, django_assert_max_num_queries
):
    client.force_login(staff_user)
    for n in range(30):
        InvoiceFactory(organisation=OrganisationFactory(name=f"Y{n:02d}"), fiscal_year=2024)
    with django_assert_max_num_queries(12):
        client.get(reverse("dues:invoices"))


@pytest.mark.parametrize("year", ["0", "-1", "99999", "²", "1180591620717411303424"])
def test_a_bad_year_is_said_not_a_500(client, staff_user, book, year):
    client.force_login(staff_user)
    page = client.get(reverse("dues:invoices"), {"year": year})
    assert page.status_code == 200
    assert b"Fiscal year: " in page.content
    issue = client.post(reverse("dues:invoices-issue"), {"year": year}, follow=True)
    assert issue.status_code == 200
    assert b"is not a fiscal year from 2000" in issue.content


@pytest.mark.parametrize("year", [0, -1, 99999])
def test_the_fee_endpoint_refuses_years_out_of_bounds(client, staff_user, book, year):
    client.force_login(staff_user)
    response = client.get("/api/v1/dues/members/seoul/fee", {"year": year})
    assert response.status_code == 422
    assert "year: " in response.json()["detail"]


def test_a_bad_id_in_a_review_approval_is_said(client, staff_user):
    client.force_login(staff_user)
    for url in (reverse("dues:review-confirm"), reverse("dues:review-approve")):
        response = client.post(
            url,
            {"as_of": "2023-09-01", "approve": ["¹"], "decision_ref": "X",
             "decided_on": "2023-09-26"},
            follow=True,
        )  # fmt: skip
        assert response.status_code == 200
        assert "approve: &#x27;¹&#x27; is not a member id." in response.content.decode()
