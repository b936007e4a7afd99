"""The dues documents as PDF (invoice, receipt, credit note), in the reader's language.

An invoice is the member's own official document, so it speaks the language its reader
chose: the focal point's contact language when it is mailed (`dues.mail`), the page's
language when a signed-in member downloads it. The figures (number, amounts, bank details)
and the texts stored in English (the fee's wording, a credit note's reason) are the same in
every language; only the labels, the dates and the number format follow it."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from urbis.common.pdf import render_pdf
from urbis.dues.queries.invoicing import invoicing_policy


def document_pdf(template: str, context: dict[str, Any], *, language: str) -> bytes:
    """Render a dues document (`dues/invoice.html`, `dues/receipt.html`,
    `dues/credit_note.html`) with the issuer's policy, under `language`."""
    with translation.override(language):
        return render_pdf(template, {**context, "policy": invoicing_policy()})
