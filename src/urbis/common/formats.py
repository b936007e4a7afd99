"""How official outputs write codes, amounts and counts: one module for every page, PDF and
e-mail, so that a report never prints "public_agency", "1000.00" or "1 Embassy members".

- `format_money(amount, currency)`: 'USD 1,500.00' (thousands separators, two decimals, the
  ISO code first): what is stored and what English pages, PDFs and mails print.
- `format_money_local(amount, currency)`: the same amount as the active language writes it
  ('1 500,00 USD' in French, '1.500,00 USD' in Spanish); English is `format_money`'s text.
- `label(namespace, code)`: the human label of a stored code. Each app registers the codes it
  owns (`labels_register("institution_type", InstitutionType.choices)` in its AppConfig), so
  `common` imports no app; an unknown code reads as words ('non_profit' → 'Non profit'),
  never as the raw code.
- `plural(count, singular, plural=None)`: '1 embassy', '2 embassies'.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")

_LABELS: dict[str, dict[str, object]] = {}


def format_money(amount: Decimal | int | None, currency: str = "") -> str:
    """'USD 1,500.00': thousands separators, two decimals, the ISO code first; a negative
    amount keeps its sign after the code ('USD -20.00'); None reads as zero."""
    value = Decimal(amount or 0).quantize(CENT, rounding=ROUND_HALF_UP)
    text = f"{value:,.2f}"
    return f"{currency} {text}" if currency else text


# Languages that write the currency code after the amount (their number formats come from
# Django's locale formats: separators, grouping).
CODE_AFTER = frozenset({"fr", "es", "ru"})


def format_money_local(amount: Decimal | int | None, currency: str = "") -> str:
    """`format_money` in the active language's number format: what a page shows a member.
    Stored text (invoice wording, the API's amounts) keeps `format_money`, whatever the
    language of the request that wrote it."""
    from django.utils import formats as django_formats
    from django.utils.translation import get_language

    language = (get_language() or "en").split("-")[0]
    if language == "en":
        return format_money(amount, currency)
    value = Decimal(amount or 0).quantize(CENT, rounding=ROUND_HALF_UP)
    text = django_formats.number_format(value, 2, use_l10n=True, force_grouping=True)
    if not currency:
        return text
    return f"{text}\xa0{currency}" if language in CODE_AFTER else f"{currency}\xa0{text}"


def labels_register(namespace: str, choices: Iterable[tuple[str, object]]) -> None:
    """Register the labels of the codes of `namespace` (a field's choices)."""
    # The label is kept as given (a lazy translation stays lazy) and read in the active
    # language by `label`.
    _LABELS.setdefault(namespace, {}).update({str(k): v for k, v in choices})


def humanise(code: str) -> str:
    """'public_agency' → 'Public agency': the words of a code nobody registered."""
    words = str(code).replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def label(namespace: str, code: object) -> str:
    """The label of `code` in `namespace`; '' for an empty code."""
    if code is None or code == "":
        return ""
    known = _LABELS.get(namespace, {}).get(str(code))
    return str(known) if known else humanise(str(code))


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """'1 member', '3 members'; an irregular plural is given ('embassy', 'embassies')."""
    if plural_form is None:
        if singular.endswith("y") and singular[-2:-1] not in "aeiou":
            plural_form = singular[:-1] + "ies"
        elif singular.endswith(("s", "x", "ch", "sh")):
            plural_form = singular + "es"
        else:
            plural_form = singular + "s"
    return f"{count:,} {singular if count == 1 else plural_form}"
