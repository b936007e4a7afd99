"""The request type of a page that answers htmx (django-htmx's middleware sets `htmx`)."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """Annotate a view's `request` with this to read `request.htmx` typed (truthy when the
    request was sent by htmx)."""

    htmx: HtmxDetails
