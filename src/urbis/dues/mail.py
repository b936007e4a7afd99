"""Dues mail: the invoice issued (its PDF attached) and the payment received (its receipt
attached), to the member's focal points. Statutory: they go even to an address that turned
announcements off.

Rendering a PDF takes a noticeable moment, and a year's issue makes hundreds of them. So the
change (`domain.ledger`) only records, *in its own transaction*, a task naming the
documents (`documents_mail_later`); the task worker renders each PDF and queues its message
(`documents_mail`). A rolled-back issue leaves no task; a committed one is never lost. The
task may run twice (a worker restarted): a document whose message is already in the outbox
is skipped, under a lock on the document's row.

Each focal point reads the message and its PDF in their own language (their contact's,
`messaging.languages`): the PDF is rendered once per language among the recipients.

Templates: `dues/messages/<name>.subject.txt`, `.txt`, `.html`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import pgettext_lazy
from django_tasks import task

from urbis.dues.models import Invoice, Payment
from urbis.dues.pdf import document_pdf
from urbis.dues.queries.ledger import invoice_document
from urbis.members.models import Contact, Organisation
from urbis.members.rules import EventKind
from urbis.messaging.domain import AttachmentIn, messages_queue
from urbis.messaging.languages import recipient_languages
from urbis.messaging.models import Message
from urbis.messaging.render import message_render
from urbis.messaging.unsubscribe import absolute

INVOICE_KIND = "dues.invoice_issued"
RECEIPT_KIND = "dues.payment_received"


def focal_addresses(organisation: Organisation) -> list[tuple[str, str]]:
    """(address, name) of the member's focal points, one per address."""
    seen: dict[str, str] = {}
    for c in (
        Contact.objects.filter(organisation=organisation, is_focal_point=True)
        .exclude(email="")
        .order_by("name")
    ):
        seen.setdefault(c.email.strip().lower(), c.name)
    return list(seen.items())


def _attachments(
    addresses: list[tuple[str, str]], template: str, context: dict[str, Any], filename: str
) -> tuple[dict[str, str], dict[str, AttachmentIn]]:
    """Each address's language, and the document rendered once in each of those languages."""
    languages = recipient_languages([address for address, _ in addresses])
    pdfs = {
        language: AttachmentIn(
            filename, document_pdf(template, context, language=language), "application/pdf"
        )
        for language in sorted(set(languages.values()))
    }
    return languages, pdfs


def documents_mail_later(
    *, invoices: Iterable[Invoice] = (), payments: Iterable[Payment] = ()
) -> None:
    """Record, in the caller's transaction, the task that mails these documents (illustrative
    ones are never mailed)."""
    invoice_ids = [i.pk for i in invoices if not i.illustrative]
    payment_ids = [p.pk for p in payments if not p.illustrative and p.receipt_number]
    if invoice_ids or payment_ids:
        documents_mail_task.enqueue(invoice_ids=invoice_ids, payment_ids=payment_ids)


@task()
def documents_mail_task(invoice_ids: list[int], payment_ids: list[int]) -> str:
    queued = documents_mail(invoice_ids=invoice_ids, payment_ids=payment_ids, actor=None)
    return f"queued {queued} message(s)"


def documents_mail(*, invoice_ids: Iterable[int], payment_ids: Iterable[int], actor: Any) -> int:
    """Render each document and queue its mail, one transaction per document; a document
    already mailed is skipped. Returns the number of messages queued."""
    queued = 0
    for pk in invoice_ids:
        with transaction.atomic():
            invoice = Invoice.objects.select_for_update().filter(pk=pk).first()
            if invoice is not None and not _mailed(INVOICE_KIND, f"invoice:{invoice.number}"):
                queued += invoice_mail_queue(invoice=invoice, actor=actor)
    for pk in payment_ids:
        with transaction.atomic():
            payment = Payment.objects.select_for_update().filter(pk=pk).first()
            if payment is not None and not _mailed(
                RECEIPT_KIND, f"receipt:{payment.receipt_number}"
            ):
                queued += receipt_mail_queue(payment=payment, actor=actor)
    return queued


def _mailed(kind: str, reference: str) -> bool:
    return Message.objects.filter(kind=kind, reference=reference).exists()


def invoice_mail_queue(*, invoice: Invoice, actor: Any) -> int:
    """Queue the invoice, its PDF attached, to each focal point of its member."""
    addresses = focal_addresses(invoice.organisation)
    document = invoice_document(invoice.number)
    if not addresses or document is None:
        return 0
    languages, pdfs = _attachments(
        addresses, "dues/invoice.html", document.context(), f"invoice-{invoice.number}.pdf"
    )
    context = {
        "invoice": document.invoice,
        "organisation": invoice.organisation,
        "invoice_url": absolute(reverse("dues:invoice", args=[invoice.number])),
    }
    return _document_queue(
        "invoice_issued",
        context,
        addresses,
        languages,
        pdfs,
        kind=INVOICE_KIND,
        reference=f"invoice:{invoice.number}",
        actor=actor,
    )


def receipt_mail_queue(*, payment: Payment, actor: Any) -> int:
    """Queue the receipt of a payment, its PDF attached, to each focal point of its member."""
    addresses = focal_addresses(payment.organisation)
    if not addresses:
        return 0
    document = invoice_document(payment.invoice.number) if payment.invoice else None
    invoice = document.invoice if document else None
    languages, pdfs = _attachments(
        addresses,
        "dues/receipt.html",
        {"payment": payment, "invoice": invoice},
        f"receipt-{payment.receipt_number}.pdf",
    )
    context = {"payment": payment, "invoice": invoice, "organisation": payment.organisation}
    return _document_queue(
        "payment_received",
        context,
        addresses,
        languages,
        pdfs,
        kind=RECEIPT_KIND,
        reference=f"receipt:{payment.receipt_number}",
        actor=actor,
    )


def _document_queue(
    template: str,
    context: dict[str, Any],
    addresses: list[tuple[str, str]],
    languages: dict[str, str],
    pdfs: dict[str, AttachmentIn],
    *,
    kind: str,
    reference: str,
    actor: Any,
) -> int:
    """Queue a statutory document's mail to each address, in its language, with the PDF
    rendered in that language attached (the invoice and the receipt)."""
    messages_queue(
        kind=kind,
        messages=[
            message_render(
                f"dues/messages/{template}",
                context,
                to_address=address,
                to_name=name,
                language=languages[address],
                attachments=(pdfs[languages[address]],),
            )
            for address, name in addresses
        ],
        statutory=True,
        reference=reference,
        actor=actor,
    )
    return len(addresses)


REVIEW_KIND = "dues.review_proposal"

# What a status review proposes, in words, in the recipient's language: the mail printed
# the stored code ("suspended", "withdrawal_announced").
PROPOSAL_LABELS = {
    EventKind.APPLIED: pgettext_lazy("status review proposal", "application"),
    EventKind.APPROVED: pgettext_lazy("status review proposal", "admission"),
    EventKind.SUSPENDED: pgettext_lazy("status review proposal", "suspension"),
    EventKind.REINSTATED: pgettext_lazy("status review proposal", "reinstatement"),
    EventKind.WITHDRAWAL_ANNOUNCED: pgettext_lazy("status review proposal", "announced withdrawal"),
    EventKind.WITHDRAWN: pgettext_lazy("status review proposal", "withdrawal"),
    EventKind.TERMINATED: pgettext_lazy("status review proposal", "termination of membership"),
}


def review_proposals_queue(*, proposals: Iterable[Any], as_of: Any, actor: Any) -> int:
    """Tell each member concerned what the status review as of `as_of` proposes for it,
    before the decision (statutory: it concerns its membership). A member already told
    about this review is not told twice. Returns the number of members told."""
    told = 0
    for proposal in proposals:
        reference = f"review:{as_of.isoformat()}:{proposal.organisation_id}"
        if _mailed(REVIEW_KIND, reference):
            continue
        organisation = Organisation.objects.get(pk=proposal.organisation_id)
        addresses = focal_addresses(organisation)
        if not addresses:
            continue
        context = {
            "proposal": proposal,
            "proposal_label": PROPOSAL_LABELS[EventKind(proposal.propose)],
            "organisation": organisation,
            "as_of": as_of,
        }
        messages_queue(
            kind=REVIEW_KIND,
            messages=[
                message_render("dues/messages/review_proposal", context, to_address=a, to_name=n)
                for a, n in addresses
            ],
            statutory=True,
            reference=reference,
            actor=actor,
        )
        told += 1
    return told
