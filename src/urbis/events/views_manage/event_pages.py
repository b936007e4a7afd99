"""The events list, a new event, an event's workspace, its settings and its delete."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from urbis.common.actor import actor_required
from urbis.events import domain, queries, rules
from urbis.events.forms import EventForm
from urbis.events.views_manage.base import (
    PERM,
    _actor,
    _confirm_page,
    _event,
    _form_cycle,
)


@actor_required(PERM)
def manage(request: HttpRequest) -> HttpResponse:
    """Every event, published or not, newest first, with a search box."""
    q = request.GET.get("q", "").strip()
    qs = queries.events_visible_to(request.user, q=q)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "events/manage_list.html", {"page": page, "rows": page, "q": q})


@actor_required(PERM)
def event_new(request: HttpRequest) -> HttpResponse:
    form = EventForm(request.POST or None, initial={"time_zone": "UTC", "is_public": True})
    return _form_cycle(
        request,
        form,
        lambda data: domain.event_create(actor=_actor(request), **data),
        message=lambda event: f"{event.name} is created; add its venues and sessions.",
        to=lambda event: reverse("events:workspace", args=[event.slug]),
        title="New event",
        submit="Create event",
        cancel=reverse("events:manage"),
    )


@actor_required(PERM)
def workspace(request: HttpRequest, slug: str) -> HttpResponse:
    """An event's workspace: its settings, programme by day, sponsors and the venues used."""
    event = _event(request, slug)
    days = queries.programme_days(event)
    by_day = {d.day: d for d in days}
    context = {
        "event": event,
        "days": [
            (n, day, by_day[day].sessions if day in by_day else [])
            for n, day in enumerate(queries.event_days(event), start=1)
        ],
        "sponsors": queries.sponsors_of(event),
        "usage": queries.event_usage(event),
        "registration_refusal": rules.registration_refusal(
            event_name=event.name,
            switched_on=event.registration_open,
            opens_at=event.registration_opens_at,
            closes_at=event.registration_closes_at,
            now=timezone.now(),
            zone=event.time_zone,
        ),
    }
    return render(request, "events/workspace.html", context)


@actor_required(PERM)
def event_edit(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    form = EventForm(request.POST or None, initial=EventForm.initial_for(event))
    return _form_cycle(
        request,
        form,
        lambda data: domain.event_update(actor=_actor(request), event=event, **data),
        message=lambda saved: f"{saved.name} is saved.",
        to=lambda saved: reverse("events:workspace", args=[saved.slug]),
        title=f"Edit {event.name}",
        submit="Save",
        cancel=reverse("events:workspace", args=[event.slug]),
        event=event,
    )


@actor_required(PERM)
def event_delete(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    if request.method == "POST":
        try:
            domain.event_delete(actor=_actor(request), event=event)
        except domain.InUse as exc:
            messages.error(request, str(exc))
            return redirect("events:workspace", slug=event.slug)
        messages.success(request, f"{event.name} is deleted.")
        return redirect("events:manage")
    usage = queries.event_usage(event)
    return _confirm_page(
        request,
        title=f"Delete {event.name}?",
        consequences=[
            f"{usage['sessions']} session(s) and {usage['sponsors']} sponsor(s) are deleted "
            "with it.",
            f"{usage['registrations']} registration(s): an event with registrations is kept "
            "for the record and cannot be deleted.",
        ],
        cancel=reverse("events:workspace", args=[event.slug]),
        event=event,
    )
