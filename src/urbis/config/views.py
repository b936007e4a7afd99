"""Pages that belong to no single app (the composition root may read every app)."""

import logging
from pathlib import Path

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseServerError,
)
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.cache import cache_control

import urbis.common
from urbis.config.dashboard import dashboard_for

log = logging.getLogger(__name__)
FAVICON = Path(urbis.common.__file__).parent / "static" / "common" / "favicon.svg"


def home(request: HttpRequest) -> HttpResponse:
    """The home page: the role dashboards of the signed-in user (what needs doing), then
    the public part (upcoming events, latest results, the network today)."""
    return render(request, "home.html", dashboard_for(request.user))


@cache_control(public=True, max_age=86400)
def favicon(request: HttpRequest) -> HttpResponse:
    """`/favicon.ico`, which browsers ask for whatever the page declares: the site's icon."""
    return HttpResponse(FAVICON.read_bytes(), content_type="image/svg+xml")


def server_error(request: HttpRequest) -> HttpResponse:
    """500 in the site's look, with its navigation; a plain page if that fails too (the
    database may be what failed)."""
    try:
        return HttpResponseServerError(render_to_string("500.html", request=request))
    except Exception:  # the error page must not fail: fall back to one without context
        log.exception("The 500 page could not be rendered with its navigation.")
        return HttpResponseServerError(render_to_string("500_plain.html"))


class _PermanentRedirectKeepingMethod(HttpResponsePermanentRedirect):
    status_code = 308  # a form posted to an old address is posted again, not turned into a GET


def dues_moved(request: HttpRequest, rest: str) -> HttpResponse:
    """Dues pages were at /members/dues/…: old links and bookmarks land on /dues/…, with their
    query string (308, so that a form posted to the old address keeps its method)."""
    query = request.META.get("QUERY_STRING", "")
    return _PermanentRedirectKeepingMethod(f"/dues/{rest}" + (f"?{query}" if query else ""))
