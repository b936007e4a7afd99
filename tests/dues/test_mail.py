"""Dues mail through a real SMTP server on loopback: the invoice issued with its PDF, the
payment received with its receipt. The change records a task; the worker renders the PDF
and queues the message."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from tests.factories.members import ContactFactory, member_since
from tests.messaging.conftest import smtp_server  # noqa: F401  (the fixture)
from urbis.dues import mail
from urbis.dues.domain import ledger as domain
from urbis.dues.queries import ledger as queries
from urbis.messaging.domain import optout_set, outbox_send
from urbis.messaging.models import Message

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.URBIS_BASE_URL = "https://urbis.example"


@pytest.fixture
def member(db):
    domain.fee_schedules_load(schedules=queries.schedules_from_file(), actor=None)
    org = member_since(D(2015, 1, 1), name="Harbourton", country="KR")
    ContactFactory(
        organisation=org, name="Hana Focal", email="hana@harbourton.example", is_focal_point=True
    )
    ContactFactory(organisation=org, name="Not Focal", email="other@harbourton.example")
    return org


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_bulk_issue_mails_each_invoice_with_its_pdf_once(
    member,
    staff_user,
    run_jobs,
    smtp_server,  # noqa: F811
):
    optout_set(address="hana@harbourton.example", actor=None)  # statutory: goes anyway
    result = domain.invoices_issue(actor=staff_user, fiscal_year=2031, issued_on=D(2031, 1, 10))
    (invoice,) = result.created
    assert Message.objects.count() == 0  # the PDF is rendered by the worker, not the request
    assert DBTaskResult.objects.filter(task_path="urbis.dues.mail.documents_mail_task").count() == 1
    run_jobs()
    (message,) = Message.objects.all()
    assert (
        message.kind,
        message.to_address,
        message.statutory,
        message.reference,
        message.state,
    ) == (
        "dues.invoice_issued",
        "hana@harbourton.example",
        True,
        f"invoice:{invoice.number}",
        "sent",
    )
    # The task delivered twice queues nothing more.
    assert mail.documents_mail(invoice_ids=[invoice.pk], payment_ids=[], actor=None) == 0
    (received,) = smtp_server.to("hana@harbourton.example")
    email = received.message
    assert email["Subject"] == f"Invoice {invoice.number}: membership dues 2031, Harbourton"
    text = email.get_body(preferencelist=("plain",)).get_content()
    assert "Amount: USD 5000.00" in text
    assert "Due on: 31 March 2031" in text
    assert f"https://urbis.example/dues/invoices/{invoice.number}/" in text
    (pdf,) = list(email.iter_attachments())
    assert (pdf.get_filename(), pdf.get_content_type()) == (
        f"invoice-{invoice.number}.pdf",
        "application/pdf",
    )
    assert invoice.number in _pdf_text(pdf.get_content())
    assert smtp_server.to("other@harbourton.example") == []


def test_payment_mails_the_receipt(member, staff_user, smtp_server):  # noqa: F811
    invoice = domain.invoice_issue(
        actor=staff_user, organisation=member, fiscal_year=2025, issued_on=D(2025, 1, 10)
    )
    payment = domain.payment_record(
        actor=staff_user,
        organisation=member,
        invoice=invoice,
        amount=Decimal("2000.00"),
        received_on=D(2025, 2, 1),
        reference="BANK-7",
    )
    assert mail.documents_mail(invoice_ids=[], payment_ids=[payment.pk], actor=None) == 1
    outbox_send()
    (received,) = smtp_server.to("hana@harbourton.example")
    email = received.message
    assert email["Subject"] == (
        f"Receipt {payment.receipt_number}: payment received from Harbourton"
    )
    text = email.get_body(preferencelist=("plain",)).get_content()
    assert (
        f"We received USD 2000.00 from Harbourton on 1 February 2025, for invoice "
        f"{invoice.number}. Thank you."
    ) in text
    assert "The invoice's open balance is now USD 3000.00." in text
    (pdf,) = list(email.iter_attachments())
    assert pdf.get_filename() == f"receipt-{payment.receipt_number}.pdf"
    assert payment.receipt_number in _pdf_text(pdf.get_content())


def test_a_rolled_back_issue_leaves_no_task_and_no_message(member, staff_user):
    with pytest.raises(RuntimeError), transaction.atomic():
        domain.invoice_issue(
            actor=staff_user, organisation=member, fiscal_year=2031, issued_on=D(2031, 1, 10)
        )
        raise RuntimeError("rolled back")
    assert DBTaskResult.objects.count() == 0
    assert Message.objects.count() == 0


def test_illustrative_invoices_are_not_mailed(member, staff_user):
    domain.invoice_issue(
        actor=staff_user,
        organisation=member,
        fiscal_year=2031,
        issued_on=D(2031, 1, 10),
        illustrative=True,
    )
    assert DBTaskResult.objects.count() == 0


def test_review_proposals_go_to_the_members_concerned_once(client, staff_user, smtp_server):  # noqa: F811
    from django.urls import reverse

    from urbis.dues.domain.review import review_proposals_notify

    quiet = member_since(D(2020, 1, 1), name="Quietville")
    ContactFactory(
        organisation=quiet,
        name="Quinn Focal",
        email="quinn@quietville.example",
        is_focal_point=True,
    )
    busy = member_since(D(2020, 1, 1), name="Busyburg")
    ContactFactory(
        organisation=busy, name="Bea Focal", email="bea@busyburg.example", is_focal_point=True
    )
    busy.participations.create(date=D(2030, 5, 1), activity="Workshop")
    client.force_login(staff_user)
    response = client.post(reverse("dues:review-notify"), {"as_of": "2031-09-01"})
    assert response.status_code == 302
    assert review_proposals_notify(actor=staff_user, as_of=D(2031, 9, 1)) == 0  # told once
    (message,) = Message.objects.all()
    assert (message.kind, message.to_address, message.statutory, message.reference) == (
        "dues.review_proposal",
        "quinn@quietville.example",
        True,
        f"review:2031-09-01:{quiet.pk}",
    )
    outbox_send()
    (received,) = smtp_server.to("quinn@quietville.example")
    assert received.message["Subject"] == "Membership status review: Quietville"
    text = received.message.get_body(preferencelist=("plain",)).get_content()
    assert (
        "as of 1 September 2031. Under the statutes the review proposes for Quietville: "
        "suspension." in text
    )
    assert "No decision is taken yet." in text
    html = received.message.get_body(preferencelist=("html",)).get_content()
    assert "proposes for Quietville: suspension.</p>" in html


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("ko", "Quietville에 대해 다음을 제안합니다: 자격 정지."),
        ("fr", "propose pour Quietville : suspension."),
        ("ru", "приостановление членства"),
    ],
)
def test_a_review_proposal_names_what_it_proposes_in_the_recipients_language(
    staff_user,
    smtp_server,  # noqa: F811
    language,
    words,
):
    """The mail printed the stored code ("suspended") whatever the language."""
    from urbis.dues.domain.review import review_proposals_notify

    quiet = member_since(D(2020, 1, 1), name="Quietville")
    ContactFactory(
        organisation=quiet,
        name="Quinn Focal",
        email="quinn@quietville.example",
        is_focal_point=True,
        language=language,
    )
    assert review_proposals_notify(actor=staff_user, as_of=D(2031, 9, 1)) == 1
    outbox_send()
    (received,) = smtp_server.to("quinn@quietville.example")
    text = received.message.get_body(preferencelist=("plain",)).get_content()
    assert words in " ".join(text.split())
    assert "suspended" not in text
