"""A later, synthetic Assembly's official outputs read as published documents too: the
activity report, its memorandum and an invoice, checked on the text of their PDFs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from tests.common.publishable import problems
from tests.factories.dues import InvoiceFactory
from tests.factories.reports import synthetic_assembly
from urbis.common.pdf import pdf_text
from urbis.dues.models import FeeSchedule
from urbis.governance.models import Meeting
from urbis.reports import render
from urbis.reports.assembly import build

pytestmark = pytest.mark.django_db

SCHEDULE = {
    "tables": [
        {
            "category": "institution",
            "type": "public_agency",
            "criterion": "gdp_ppp",
            "covers_from": 0,
            "note": "",
            "bands": [
                {"range": "0\u20139,999", "fee": "1500.00"},
                {"range": "10,000+", "fee": "12000"},
            ],
        },
        {
            "category": "corporation",
            "type": "*",
            "criterion": "employees",
            "covers_from": 1,
            "note": "",
            "bands": [{"range": "1+", "fee": "2500.5"}],
        },
    ]
}


@pytest.fixture
def assembly():
    data = synthetic_assembly(number=9, year=2029, members=10, delegates=16)
    FeeSchedule.objects.create(
        code="synthetic-2027",
        title="Synthetic fee schedule 2027",
        effective_from=dt.date(2027, 1, 1),
        currency="EUR",
        tables=SCHEDULE,
        choices=["Synthetic note on a gap in the printed schedule, for the secretariat."],
    )
    return data


def _flat(data: bytes) -> str:
    return " ".join(pdf_text(data).split())


def test_the_later_report_prints_no_code_and_no_internal_note(assembly):
    meeting = Meeting.objects.get(body="ga", number=9)
    meeting.host = None
    meeting.host_label = ""
    meeting.save(update_fields=["host", "host_label"])
    text = _flat(render.pdf(build(9)))
    assert problems(text) == []
    assert "Synthetic note on a gap" not in text  # kept for the secretariat's page
    assert "National or subnational public agency — by GDP per capita (PPP, USD)" in text
    assert "0\u20139,999 EUR 1,500.00" in text
    assert "10,000+ EUR 12,000.00" in text
    assert "Corporations — by employees" in text
    assert "1+ EUR 2,500.50" in text
    cover = text.split("Table of Contents")[0]
    assert cover.startswith("World Smart Sustainable Cities Organization (WeGO) Activity report")
    assert "The 9th General Assembly" in cover


def test_the_secretariat_sees_the_data_notes_on_the_report_page(assembly, staff_user):
    client = Client()
    client.force_login(staff_user)
    html = render.html(build(9), can_build=True)
    assert "Synthetic note on a gap in the printed schedule" in html
    public = render.html(build(9), can_build=False)
    assert "Synthetic note on a gap" not in public


def test_the_later_memorandum_without_host_prints_no_none(assembly, staff_user):
    meeting = Meeting.objects.get(body="ga", number=9)
    meeting.host = None
    meeting.host_label = ""
    meeting.save(update_fields=["host", "host_label"])
    client = Client()
    client.force_login(staff_user)
    response = client.get(f"/governance/meetings/{meeting.slug}/memorandum.pdf")
    assert response.status_code == 200
    text = _flat(response.content)
    assert problems(text) == []
    assert "Host city" not in text
    assert f"Meeting Memorandum of the {meeting.title}" in text


def test_a_later_invoice_prints_one_money_format(assembly, staff_user):
    invoice = InvoiceFactory(
        organisation=assembly.members[0], fiscal_year=2029, amount=Decimal("12500")
    )
    client = Client()
    client.force_login(staff_user)
    response = client.get(f"/dues/invoices/{invoice.number}.pdf")
    assert response.status_code == 200
    text = _flat(response.content)
    assert problems(text) == []
    assert "Annual membership fee, fiscal year 2029 USD 12,500.00" in text
    assert "Balance due USD 12,500.00" in text
