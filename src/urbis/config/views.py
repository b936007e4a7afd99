"""Pages that belong to no single app (the composition root may read every app)."""

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render

from urbis.members import queries as member_queries


def home(request: HttpRequest) -> HttpResponse:
    """The landing page: what the network is today, computed from the registry."""
    return render(
        request,
        "home.html",
        {"rows": member_queries.membership_rows(), "as_of": member_queries.today()},
    )


class _PermanentRedirectKeepingMethod(HttpResponsePermanentRedirect):
    status_code = 308  # a form posted to an old address is posted again, not turned into a GET


def dues_moved(request: HttpRequest, rest: str) -> HttpResponse:
    """Dues pages were at /members/dues/…: old links and bookmarks land on /dues/…, with their
    query string (308, so that a form posted to the old address keeps its method)."""
    query = request.META.get("QUERY_STRING", "")
    return _PermanentRedirectKeepingMethod(f"/dues/{rest}" + (f"?{query}" if query else ""))
