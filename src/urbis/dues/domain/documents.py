"""Numbers of invoices, credit notes and receipts: one gap-free sequence per kind of
document and fiscal year, taken under a row lock by the transaction that writes the
document (so a rolled-back document gives its number back)."""

from __future__ import annotations

from django.db import transaction

from urbis.dues.models import CreditNote, DocumentSequence, Invoice, Payment
from urbis.dues.queries.invoicing import invoicing_policy


def document_sequence_lock(*, kind: str, fiscal_year: int) -> DocumentSequence:
    """Lock (creating it if need be) the sequence of `kind` in `fiscal_year` until the
    current transaction ends."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("a document sequence is locked inside the document's transaction")
    DocumentSequence.objects.bulk_create(
        [DocumentSequence(kind=kind, fiscal_year=fiscal_year, last=0)], ignore_conflicts=True
    )
    return DocumentSequence.objects.select_for_update().get(kind=kind, fiscal_year=fiscal_year)


def document_number_take(*, kind: str, fiscal_year: int) -> str:
    """The next number of `kind` in `fiscal_year`, e.g. '2026-0007'. Must run inside the
    transaction that writes the document: the sequence row stays locked until it ends, so
    concurrent issues wait for each other instead of taking the same number."""
    sequence = document_sequence_lock(kind=kind, fiscal_year=fiscal_year)
    policy = invoicing_policy()
    taken = _TAKEN[kind]
    while True:
        # Documents entered before the sequence existed (imports, earlier records) may hold
        # the next numbers already: step over them rather than fail on the unique number.
        sequence.last += 1
        number = policy.number(kind, year=fiscal_year, n=sequence.last)
        if not taken(number):
            break
    sequence.save(update_fields=["last"])
    return number


_TAKEN = {
    "invoice": lambda number: Invoice.objects.filter(number=number).exists(),
    "credit_note": lambda number: CreditNote.objects.filter(number=number).exists(),
    "receipt": lambda number: Payment.objects.filter(receipt_number=number).exists(),
}
