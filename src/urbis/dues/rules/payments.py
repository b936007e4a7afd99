"""Bounds on a payment's fields, as pure functions: what a form and a bank-statement row are
checked against before anything is written. Each returns the parsed value or raises
`FieldError` with a sentence a treasurer understands."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

import pycountry

# ASCII digits only: "²" is a digit to str.isdigit() but not an amount or a year.
AMOUNT = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{1,2})?$")
YEAR = re.compile(r"^\d{4}$")
EARLIEST = dt.date(2000, 1, 1)  # no ledger of the network goes back further
MAX_REFERENCE = 80
MAX_METHOD = 30


class FieldError(ValueError):
    """A value out of bounds; the message says why, the caller names the field or row."""


def parse_amount(text: str, *, ceiling: Decimal) -> Decimal:
    """A positive amount with at most two decimals, thousands separated by commas or not,
    not above `ceiling` (the policy's largest believable payment)."""
    value = text.strip()
    if not AMOUNT.fullmatch(value):
        raise FieldError(f"'{text}' is not a positive amount")
    try:
        amount = Decimal(value.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only numbers
        raise FieldError(f"'{text}' is not an amount") from exc
    if amount <= 0:
        raise FieldError(f"'{text}' is not a positive amount")
    if amount > ceiling:
        raise FieldError(f"{amount:,.2f} is above the ceiling of {ceiling:,.2f}")
    return amount


def parse_received_on(text: str, *, today: dt.date) -> dt.date:
    """A date YYYY-MM-DD from 2000 to today: money is not received in the future."""
    try:
        on = dt.date.fromisoformat(text.strip())
    except ValueError as exc:
        raise FieldError(f"'{text}' is not a date (YYYY-MM-DD)") from exc
    if not EARLIEST <= on <= today:
        raise FieldError(f"{on.isoformat()} is not between {EARLIEST.isoformat()} and today")
    return on


def parse_currency(text: str) -> str:
    """An ISO 4217 code such as USD or EUR."""
    code = text.strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code) or pycountry.currencies.get(alpha_3=code) is None:
        raise FieldError(f"'{text}' is not an ISO currency code such as USD")
    return code


def parse_fiscal_year(text: str, *, today: dt.date) -> int:
    """A fiscal year (Art. 19) from 2000 to next year, written with four ASCII digits."""
    value = text.strip()
    if not YEAR.fullmatch(value) or not EARLIEST.year <= int(value) <= today.year + 1:
        raise FieldError(f"'{text}' is not a fiscal year from {EARLIEST.year} to {today.year + 1}")
    return int(value)


def parse_text(text: str, *, limit: int) -> str:
    value = text.strip()
    if len(value) > limit:
        raise FieldError(f"longer than {limit} characters")
    return value
