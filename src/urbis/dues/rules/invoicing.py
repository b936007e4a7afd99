"""The invoicing policy as data: who issues, where to pay, when an invoice is due, how
documents are numbered. Pure functions over a parsed policy; `queries.ledger` reads the file.

Art. 19: the fiscal year runs from 1 January to 31 December; the due date and the numbering
are the secretariat's policy, not statute text, so they live in `data/invoicing.yaml`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

KINDS = ("invoice", "credit_note", "receipt")


class PolicyError(ValueError):
    """The invoicing file is malformed; the message names the key."""


@dataclass(frozen=True)
class Issuer:
    name: str
    address: tuple[str, ...]
    email: str = ""
    telephone: str = ""
    website: str = ""


@dataclass(frozen=True)
class Bank:
    account_holder: str
    bank_name: str
    iban: str
    bic: str
    example: bool = False


@dataclass(frozen=True)
class InvoicingPolicy:
    issuer: Issuer
    bank: Bank
    payment_instructions: str
    days_after_issue: int
    not_before: tuple[int, int]  # (month, day) of the fiscal year
    numbering: Mapping[str, str]
    payment_ceiling: Decimal = Decimal("1000000")

    def due_on(self, *, fiscal_year: int, issued_on: dt.date) -> dt.date:
        """`days_after_issue` after the issue, and never before `not_before` of the year."""
        month, day = self.not_before
        return max(
            issued_on + dt.timedelta(days=self.days_after_issue), dt.date(fiscal_year, month, day)
        )

    def number(self, kind: str, *, year: int, n: int) -> str:
        """The `n`-th document of `kind` in `year`, e.g. '2026-0007'."""
        return self.numbering[kind].format(year=year, n=n)


def _text(data: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str:
    value = data.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise PolicyError(f"{where}.{key}: a text is required")
    return value.strip()


def policy_from_data(data: Mapping[str, Any]) -> InvoicingPolicy:
    """Parse and check the invoicing document; every error names its key."""
    issuer = data.get("issuer") or {}
    bank = data.get("bank") or {}
    due = data.get("due") or {}
    numbering = data.get("numbering") or {}
    address = issuer.get("address") or []
    if not isinstance(address, list) or not all(isinstance(line, str) for line in address):
        raise PolicyError("issuer.address: a list of lines is required")
    days = due.get("days_after_issue")
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= 366:
        raise PolicyError("due.days_after_issue: a whole number of days from 0 to 366")
    try:
        month, day = (int(part) for part in str(due.get("not_before", "01-01")).split("-"))
        dt.date(2000, month, day)  # a leap year: 02-29 is a real day of some years
    except ValueError as exc:
        raise PolicyError("due.not_before: a month-day such as 03-31") from exc
    for kind in KINDS:
        pattern = numbering.get(kind)
        if not isinstance(pattern, str) or "{n" not in pattern or "{year" not in pattern:
            raise PolicyError(f"numbering.{kind}: a pattern with {{year}} and {{n}}")
        try:
            pattern.format(year=2026, n=1)
        except (KeyError, ValueError, IndexError) as exc:
            raise PolicyError(f"numbering.{kind}: {exc}") from exc
    try:
        ceiling = Decimal(str((data.get("payments") or {}).get("ceiling", "1000000")))
    except InvalidOperation as exc:
        raise PolicyError("payments.ceiling: an amount") from exc
    if not ceiling > 0:
        raise PolicyError("payments.ceiling: an amount above zero")
    return InvoicingPolicy(
        issuer=Issuer(
            name=_text(issuer, "name", "issuer"),
            address=tuple(address),
            email=_text(issuer, "email", "issuer", required=False),
            telephone=_text(issuer, "telephone", "issuer", required=False),
            website=_text(issuer, "website", "issuer", required=False),
        ),
        bank=Bank(
            account_holder=_text(bank, "account_holder", "bank"),
            bank_name=_text(bank, "bank_name", "bank"),
            iban=_text(bank, "iban", "bank"),
            bic=_text(bank, "bic", "bank"),
            example=bool(bank.get("example", False)),
        ),
        payment_instructions=_text(data, "payment_instructions", "invoicing"),
        days_after_issue=days,
        not_before=(month, day),
        numbering={kind: numbering[kind] for kind in KINDS},
        payment_ceiling=ceiling,
    )
