"""Dues and review pages. Views parse input, call one query or domain function, and render.

Each page checks its permission with `@actor_required` (rules in `dues/permissions.py`);
the modules of this package hold the pages by subject, and their names are re-exported here
for `dues/urls.py`.
"""

from urbis.dues.views.ledger import (
    credit_note_pdf,
    invoice_credit_note,
    invoice_page,
    invoice_payment,
    invoice_pdf,
    ledger_fragment,
    ledger_page,
    ledger_payment,
    my_invoices,
    receipt_pdf,
)
from urbis.dues.views.lists import (
    arrears_page,
    invoices,
    invoices_issue_view,
    payments_import_view,
)
from urbis.dues.views.review import (
    between_assemblies,
    review,
    review_approve,
    review_confirm,
    review_flag,
    review_notify,
)
from urbis.dues.views.statements import (
    statement_page,
)

__all__ = [
    "arrears_page",
    "between_assemblies",
    "credit_note_pdf",
    "invoice_credit_note",
    "invoice_page",
    "invoice_payment",
    "invoice_pdf",
    "invoices",
    "invoices_issue_view",
    "ledger_fragment",
    "ledger_page",
    "ledger_payment",
    "my_invoices",
    "payments_import_view",
    "receipt_pdf",
    "review",
    "review_approve",
    "review_confirm",
    "review_flag",
    "review_notify",
    "statement_page",
]
