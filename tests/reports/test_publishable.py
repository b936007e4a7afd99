"""The official outputs of the 6th General Assembly read as published documents: the activity
report, the memorandum and an invoice, checked on the text extracted from their PDFs (no
code, no internal note, no "None"; the labels and formats a reader expects)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.common.publishable import problems
from urbis.common.pdf import pdf_text
from urbis.dues.models import Invoice
from urbis.governance.models import Meeting
from urbis.reports import render
from urbis.reports.assembly import build

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ga6_data")]


@pytest.fixture(scope="module")
def report_text(ga6_data, django_db_blocker) -> str:
    with django_db_blocker.unblock():
        return " ".join(pdf_text(render.pdf(build(6))).split())


@pytest.fixture
def staff_client(staff_user) -> Client:
    client = Client()
    client.force_login(staff_user)
    return client


def _pdf(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/pdf"
    return " ".join(pdf_text(response.content).split())


def test_the_report_prints_no_code_and_no_internal_note(report_text):
    assert problems(report_text) == []


def test_the_report_cover_names_the_network_the_assembly_its_theme_and_host(report_text):
    cover = report_text.split("Table of Contents")[0]
    assert cover.startswith("World Smart Sustainable Cities Organization (WeGO) Activity report")
    assert "The 6th General Assembly" in cover
    assert "Smart City, Smart Citizen" in cover
    assert (
        "September 25\u201327, 2023 · hosted by Seoul Metropolitan Government (SMG), Seoul" in cover
    )


def test_the_report_prints_each_chapter_once_and_no_empty_one(report_text):
    # The membership changes are the report's own annex; the memorandum does not repeat them.
    assert report_text.count("New members (18)") == 1
    assert "Annex. Membership changes" not in report_text
    assert report_text.count("Officers 2023\u20132026") == 1
    # The prize ceremony has only a title: the prize chapter covers it, no page of its own.
    toc = report_text.split("Table of Contents")[1].split("Highlights")[0]
    assert "Seoul Smart City Prize Ceremony" not in report_text.split("Programme at a Glance")[-1]
    assert "Prize Ceremony ...." not in toc
    assert "No sponsor is recorded" not in report_text
    assert "Not yet decided" not in report_text


def test_the_report_prints_labels_and_one_money_format(report_text):
    assert "National or subnational public agency — by GDP per capita (PPP, USD)" in report_text
    assert "Small and medium-sized enterprise — by employees" in report_text
    assert "20,000+ USD 5,000.00" in report_text
    assert "1\u2013299 USD 2,000.00" in report_text
    assert "45 local governments, 5 corporations" in report_text
    assert "Dohwa Engineering Corporation South Korea 2022-11-01 Approved by the EXCOM 2022." in (
        report_text
    )


def test_the_report_figures_are_unchanged(report_text):
    assert "45 quorum members were present, representing a population of 130,996,081" in (
        report_text
    )
    assert "58 participating cities from 35 countries in 5 regions." in report_text
    assert "Embassies: 13" in report_text
    assert "Suspensions (22)" in report_text
    assert "Termination of members (20)" in report_text


def test_the_memorandum_pdf_is_publishable(staff_client):
    meeting = Meeting.objects.get(body="ga", number=6)
    text = _pdf(staff_client, f"/governance/meetings/{meeting.slug}/memorandum.pdf")
    assert problems(text) == []
    assert "Host city Seoul Metropolitan Government (SMG)" in text
    assert "Attendees (members) 45 local governments, 5 corporations" in text
    # The standalone memorandum keeps its annex of membership changes, once.
    assert text.count("Annex. Membership changes") == 1
    assert text.count("New members (18)") == 1


def test_an_invoice_pdf_is_publishable(staff_client):
    invoice = Invoice.objects.filter(payments__isnull=False).order_by("number").first()
    assert invoice is not None
    text = _pdf(staff_client, f"/dues/invoices/{invoice.number}.pdf")
    assert problems(text) == []
    assert f"Annual membership fee, fiscal year {invoice.fiscal_year} USD " in text
    assert "Balance due USD " in text
    assert "Local-government fees (provisional table of the secretariat)" in text or (
        "Annex 3" in text
    )
