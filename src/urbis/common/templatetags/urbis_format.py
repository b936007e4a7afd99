"""Template filters of `common.formats`, for every official output:

- `{{ amount|money:currency }}` → 'USD 1,500.00' (in the page's language: '1 500,00 USD')
- `{{ code|label:"institution_type" }}` → 'National or subnational public agency'
- `{{ count|counted:"member" }}` → '1 member', '2 members';
  `{{ count|counted:"embassy,embassies" }}` for an irregular plural
- `{{ value|or_blank }}` → '' for None (never the word "None")
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from urbis.common import formats

register = template.Library()


@register.filter
def money(amount: Decimal | int | None, currency: str = "") -> str:
    return formats.format_money_local(amount, currency)


@register.filter
def label(code: Any, namespace: str) -> str:
    return formats.label(namespace, code)


@register.filter
def counted(count: int | None, forms: str) -> str:
    singular, _, plural_form = forms.partition(",")
    return formats.plural(int(count or 0), singular, plural_form or None)


@register.filter
def or_blank(value: Any) -> Any:
    return "" if value is None else value


@register.filter
def country_name(code: Any) -> str:
    """'KR' → 'South Korea' (a Country object or an ISO code); '' when unknown or empty."""
    from django_countries import countries

    if not code:
        return ""
    name = getattr(code, "name", None)
    if name:
        return str(name)
    return str(countries.name(str(code)) or code)
