"""Writes of dues: fee schedules, invoices, payments, credit notes, payment imports.

Every function runs in one transaction and leaves an audit record; bad input raises a
ValidationError naming the field (or the file's row and column) and writes nothing.
"""

from urbis.dues.domain.ledger.imports import (
    PAYMENT_COLUMNS,
    REQUIRED_COLUMNS,
    ImportResult,
    payments_import,
)
from urbis.dues.domain.ledger.invoices import (
    IssueResult,
    credit_note_issue,
    invoice_issue,
    invoices_issue,
)
from urbis.dues.domain.ledger.payments import payment_record
from urbis.dues.domain.ledger.schedules import fee_schedules_load

__all__ = [
    "PAYMENT_COLUMNS",
    "REQUIRED_COLUMNS",
    "ImportResult",
    "IssueResult",
    "credit_note_issue",
    "fee_schedules_load",
    "invoice_issue",
    "invoices_issue",
    "payment_record",
    "payments_import",
]
