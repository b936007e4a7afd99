"""Reading a bank statement's payment reference, as pure functions.

A member is asked to quote the invoice number when it pays (`invoicing.yaml`, payment
instructions), so the statement's reference (the "communication" of the transfer) is read
as words, and a word that is an invoice number names the invoice paid. Words are split on
anything but letters, digits, `-` and `/`, so "Invoice 2031-0007, Focal City" and
"2031-0007/dues" both name 2031-0007, while "CN-2031-0007" (a credit note) names nothing."""

from __future__ import annotations

import re
from enum import StrEnum

WORD = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9/-]*[A-Za-z0-9])?")


class Match(StrEnum):
    MATCHED = "matched"  # exactly one invoice is named
    UNMATCHED = "unmatched"  # none is
    AMBIGUOUS = "ambiguous"  # two or more are


def reference_words(text: str) -> set[str]:
    """The words of a reference, upper-cased, with each part around a `/` as a word too."""
    words = set()
    for word in WORD.findall(text):
        upper = word.upper()
        words.add(upper)
        words.update(part for part in upper.split("/") if part)
    return words


def match(words: set[str], invoice_numbers: set[str]) -> tuple[Match, list[str]]:
    """Which invoices the words name, and what that makes of the row."""
    named = sorted(words & invoice_numbers)
    if not named:
        return Match.UNMATCHED, []
    if len(named) == 1:
        return Match.MATCHED, named
    return Match.AMBIGUOUS, named
