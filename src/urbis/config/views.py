"""Pages that belong to no single app (the composition root may read every app)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from urbis.members import queries as member_queries


def home(request: HttpRequest) -> HttpResponse:
    """The landing page: what the network is today, computed from the registry."""
    return render(
        request,
        "home.html",
        {"rows": member_queries.membership_rows(), "as_of": member_queries.today()},
    )
