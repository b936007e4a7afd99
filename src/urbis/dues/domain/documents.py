"""Numbers of invoices, credit notes and receipts: one gap-free sequence per kind of
document and fiscal year, taken under a row lock by the transaction that writes the
document (so a rolled-back document gives its number back)."""

from __future__ import annotations

from django.db import transaction

from urbis.dues.models import DocumentSequence
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
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return invoicing_policy().number(kind, year=fiscal_year, n=sequence.last)
