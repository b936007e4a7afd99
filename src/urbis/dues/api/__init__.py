"""REST endpoints of dues and reviews: handlers parse, call one query or queue one job,
serialise.

The operations live in the modules of this package by subject; their names are re-exported
here and `router` is what `config/api.py` mounts.
"""

from urbis.dues.api.base import router
from urbis.dues.api.invoices import (
    CreditNoteIn,
    CreditNoteOut,
    InvoicesIssueIn,
    InvoicesIssueOut,
    IssuedInvoiceOut,
    NotPricedOut,
    credit_note_create,
    invoices_issue_op,
)
from urbis.dues.api.ledger import (
    FeeOut,
    LedgerLineOut,
    LedgerOut,
    member_fee,
    member_ledger,
)
from urbis.dues.api.payments import (
    PaymentIn,
    PaymentOut,
    PaymentsImportOut,
    payment_create,
    payments_import_op,
)
from urbis.dues.api.review import (
    BetweenAssembliesOut,
    EntryOut,
    ProposalOut,
    ReviewApplyIn,
    ReviewFlagIn,
    ReviewFlagOut,
    ReviewNotifyIn,
    ReviewNotifyOut,
    ReviewOut,
    SectionOut,
    membership_changes,
    review,
    review_apply,
    review_flag_create,
    review_notify,
)
from urbis.dues.api.statements import (
    StatementImportOut,
    StatementOut,
    StatementRowOut,
    statement_import_op,
    statement_preview_op,
)

__all__ = [
    "BetweenAssembliesOut",
    "CreditNoteIn",
    "CreditNoteOut",
    "EntryOut",
    "FeeOut",
    "InvoicesIssueIn",
    "InvoicesIssueOut",
    "IssuedInvoiceOut",
    "LedgerLineOut",
    "LedgerOut",
    "NotPricedOut",
    "PaymentIn",
    "PaymentOut",
    "PaymentsImportOut",
    "ProposalOut",
    "ReviewApplyIn",
    "ReviewFlagIn",
    "ReviewFlagOut",
    "ReviewNotifyIn",
    "ReviewNotifyOut",
    "ReviewOut",
    "SectionOut",
    "StatementImportOut",
    "StatementOut",
    "StatementRowOut",
    "credit_note_create",
    "invoices_issue_op",
    "member_fee",
    "member_ledger",
    "membership_changes",
    "payment_create",
    "payments_import_op",
    "review",
    "review_apply",
    "review_flag_create",
    "review_notify",
    "router",
    "statement_import_op",
    "statement_preview_op",
]
