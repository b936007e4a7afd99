"""`{{ amount|money:currency }}` → 'USD 1,500.00' (see `dues.rules.money`)."""

from __future__ import annotations

from decimal import Decimal

from django import template

from urbis.dues.rules.money import format_money

register = template.Library()


@register.filter
def money(amount: Decimal | int | None, currency: str = "") -> str:
    return format_money(amount, currency)
