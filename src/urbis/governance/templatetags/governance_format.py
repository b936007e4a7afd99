"""Number formatting for governance pages and documents, in the active language: thousands
grouped (130,996,081 in English, 130 996 081 in French) and the ordinal of an assembly (7th,
제7차, 7e)."""

from django import template
from django.utils import formats
from django.utils.translation import pgettext

register = template.Library()


@register.filter
def thousands(value: object) -> str:
    try:
        number = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return ""
    return formats.number_format(number, use_l10n=True, force_grouping=True)


@register.filter
def ordinal(value: object) -> str:
    """7 → 7th, 21 → 21st, 12 → 12th (the ordinal of an assembly, in the active language:
    제7차, 7e, 7.ª, 7-я)."""
    try:
        n = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return ""
    if n == 1:
        return pgettext("ordinal of an assembly, the first", "1st")
    if 10 <= n % 100 <= 20 or n % 10 not in (1, 2, 3):
        text = pgettext("ordinal of an assembly", "%(number)sth")
    elif n % 10 == 1:
        text = pgettext("ordinal of an assembly", "%(number)sst")
    elif n % 10 == 2:
        text = pgettext("ordinal of an assembly", "%(number)snd")
    else:
        text = pgettext("ordinal of an assembly", "%(number)srd")
    return text % {"number": n}
