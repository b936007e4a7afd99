"""How amounts are written on every dues page and document: one format, so that an invoice
never shows "1,500.00", "1,500" and "0" side by side."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def format_money(amount: Decimal | int | None, currency: str = "") -> str:
    """'USD 1,500.00': thousands separators, two decimals, the ISO code first; a negative
    amount keeps its sign after the code ('USD -20.00'); None reads as zero."""
    value = Decimal(amount or 0).quantize(CENT, rounding=ROUND_HALF_UP)
    text = f"{value:,.2f}"
    return f"{currency} {text}" if currency else text
