"""Number formatting for governance pages: thousands separated by commas (130,996,081)."""

from django import template

register = template.Library()


@register.filter
def thousands(value: object) -> str:
    try:
        return f"{int(value):,}"  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return ""
