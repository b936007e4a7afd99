"""How amounts are written on every dues page and document: one format, so that an invoice
never shows "1,500.00", "1,500" and "0" side by side. The format is the project's one
(`common.formats.format_money`)."""

from __future__ import annotations

from urbis.common.formats import CENT, format_money

__all__ = ["CENT", "format_money"]
