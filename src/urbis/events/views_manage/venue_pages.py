"""Venues, shared by every event: the list, new, edit and delete (refused while an event or
session takes place there).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from urbis.common.actor import actor_required
from urbis.events import domain, queries
from urbis.events.forms import VenueForm
from urbis.events.models import Venue
from urbis.events.views_manage.base import (
    PERM,
    _actor,
    _by_pk,
    _confirm_page,
    _form_cycle,
    _next,
)


@actor_required(PERM)
def venues(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    page = Paginator(queries.venues(q=q), 100).get_page(request.GET.get("page"))
    return render(request, "events/venues.html", {"page": page, "rows": page, "q": q})


@actor_required(PERM)
def venue_new(request: HttpRequest) -> HttpResponse:
    form = VenueForm(request.POST or None)
    return _form_cycle(
        request,
        form,
        lambda data: domain.venue_create(actor=_actor(request), **data),
        message=lambda venue: f"{venue.name} is a venue.",
        to=lambda _: _next(request) or reverse("events:venues"),
        title="New venue",
        submit="Add venue",
        cancel=reverse("events:venues"),
    )


@actor_required(PERM)
def venue_edit(request: HttpRequest, pk: int) -> HttpResponse:
    venue: Venue = _by_pk(Venue.objects.all(), pk)
    initial = {
        "name": venue.name,
        "address": venue.address,
        "city": venue.city,
        "country": str(venue.country),
    }
    form = VenueForm(request.POST or None, initial=initial)
    return _form_cycle(
        request,
        form,
        lambda data: domain.venue_update(actor=_actor(request), venue=venue, **data),
        message=lambda saved: f"{saved.name} is saved.",
        to=lambda _: reverse("events:venues"),
        title=f"Edit {venue.name}",
        submit="Save",
        cancel=reverse("events:venues"),
    )


@actor_required(PERM)
def venue_delete(request: HttpRequest, pk: int) -> HttpResponse:
    venue: Venue = _by_pk(Venue.objects.all(), pk)
    if request.method == "POST":
        try:
            domain.venue_delete(actor=_actor(request), venue=venue)
        except domain.InUse as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"{venue.name} is deleted.")
        return redirect("events:venues")
    return _confirm_page(
        request,
        title=f"Delete the venue {venue.name}?",
        consequences=[
            f"{venue.sessions.count()} session(s) are held there: a venue in use cannot be deleted."
        ],
        cancel=reverse("events:venues"),
        event=None,
    )
