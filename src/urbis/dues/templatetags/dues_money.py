"""`{{ amount|money:currency }}` → 'USD 1,500.00': the project's one format
(`common.formats.format_money`; `{% load urbis_format %}` offers it to every app)."""

from __future__ import annotations

from django import template

from urbis.common.templatetags.urbis_format import money

register = template.Library()
register.filter("money", money)
