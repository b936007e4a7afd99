"""Staff pages that prepare an event: the events list, an event's workspace (programme
editor, venues, sponsors, registration settings), forms and delete confirmations.

Each view parses a form and calls one domain function; the domain's field errors are shown
on the form's fields, and a refused delete comes back as a message on the workspace.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from urbis.common.actor import Actor, actor_of, actor_required
from urbis.events import domain, queries, rules
from urbis.events.forms import EventForm, SessionForm, SponsorForm, VenueForm
from urbis.events.models import Event, Session, Sponsor, Venue

PERM = "events.change_programme"  # every page of this module (`@actor_required`)
T = TypeVar("T")


def _actor(request: HttpRequest) -> Actor:
    """The actor `@actor_required` resolved."""
    actor = actor_of(request)
    assert actor is not None
    return actor


def _event(request: HttpRequest, slug: str) -> Event:
    return get_object_or_404(Event.objects.select_related("host"), slug=slug)


def _by_pk(qs: Any, pk: int) -> Any:
    obj = qs.filter(pk=pk).first() if rules.id_in_range(pk) else None
    if obj is None:
        raise Http404("No such row.")
    return obj


def _show_errors(form: Form, exc: ValidationError, aliases: dict[str, str] | None = None) -> None:
    """Put the domain's errors on the form's fields (`aliases`: domain name → form name)."""
    for name, errors in exc.message_dict.items():
        target = (aliases or {}).get(name, name)
        for error in errors:
            form.add_error(target if target in form.fields else None, error)


def _submitted(
    request: HttpRequest,
    form: Form,
    write: Callable[[dict[str, Any]], T],
    *,
    message: Callable[[T], str],
    to: Callable[[T], str],
) -> HttpResponse | None:
    """The one shape of a create or edit form: on a valid POST, `write(cleaned_data)` (a
    domain function); its field errors go back on the form (None: show the form again),
    else the success `message` and a redirect `to` the page it names."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = write(form.cleaned_data)
    except ValidationError as exc:
        _show_errors(form, exc)
        return None
    messages.success(request, message(result))
    return redirect(to(result))


def _next(request: HttpRequest) -> str:
    """Where to go back to after a form, when it is a page of this site."""
    target = request.GET.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and safe else ""


def _form_page(
    request: HttpRequest,
    form: Form,
    *,
    title: str,
    submit: str,
    cancel: str,
    event: Event | None = None,
) -> HttpResponse:
    context = {"form": form, "title": title, "submit": submit, "cancel": cancel, "event": event}
    return render(request, "events/manage_form.html", context)


def _confirm_page(
    request: HttpRequest, *, title: str, consequences: list[str], cancel: str, event: Event | None
) -> HttpResponse:
    context = {"title": title, "consequences": consequences, "cancel": cancel, "event": event}
    return render(request, "events/manage_confirm.html", context)


# --- events ---------------------------------------------------------------------------------


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
    done = _submitted(
        request,
        form,
        lambda data: domain.event_create(actor=_actor(request), **data),
        message=lambda event: f"{event.name} is created; add its venues and sessions.",
        to=lambda event: reverse("events:workspace", args=[event.slug]),
    )
    return done or _form_page(
        request, form, title="New event", submit="Create event", cancel=reverse("events:manage")
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
    done = _submitted(
        request,
        form,
        lambda data: domain.event_update(actor=_actor(request), event=event, **data),
        message=lambda saved: f"{saved.name} is saved.",
        to=lambda saved: reverse("events:workspace", args=[saved.slug]),
    )
    return done or _form_page(
        request,
        form,
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


# --- sessions -------------------------------------------------------------------------------


def _on_the_programme(session: Session) -> str:
    return reverse("events:workspace", args=[session.event.slug]) + f"#day-{session.day}"


@actor_required(PERM)
def session_new(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    initial = {"day": request.GET.get("day", ""), "official_language": event.official_language}
    form = SessionForm(request.POST or None, event=event, initial=initial)
    done = _submitted(
        request,
        form,
        lambda data: domain.session_create(actor=_actor(request), event=event, **data),
        message=lambda session: f"“{session.title}” is on the programme.",
        to=_on_the_programme,
    )
    return done or _form_page(
        request,
        form,
        title=f"New session of {event.name}",
        submit="Add session",
        cancel=reverse("events:workspace", args=[event.slug]),
        event=event,
    )


@actor_required(PERM)
def session_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _event(request, slug)
    session: Session = _by_pk(queries.sessions_of(event).select_related("event"), pk)
    form = SessionForm(request.POST or None, event=event, initial=SessionForm.initial_for(session))
    done = _submitted(
        request,
        form,
        lambda data: domain.session_update(actor=_actor(request), session=session, **data),
        message=lambda saved: f"“{saved.title}” is saved.",
        to=_on_the_programme,
    )
    return done or _form_page(
        request,
        form,
        title=f"Edit “{session.title}”",
        submit="Save",
        cancel=reverse("events:workspace", args=[event.slug]),
        event=event,
    )


@actor_required(PERM)
def session_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _event(request, slug)
    session: Session = _by_pk(Session.objects.filter(event=event), pk)
    back = reverse("events:workspace", args=[event.slug])
    if request.method == "POST":
        try:
            domain.session_delete(actor=_actor(request), session=session)
        except domain.InUse as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"“{session.title}” is deleted.")
        return redirect(back)
    return _confirm_page(
        request,
        title=f"Delete “{session.title}” ({session.day})?",
        consequences=[
            "Its speakers, moderators and meeting points are deleted with it.",
            f"{session.signups.count()} sign-up(s): a session with sign-ups cannot be deleted.",
        ],
        cancel=back,
        event=event,
    )


# --- sponsors -------------------------------------------------------------------------------


@actor_required(PERM)
def sponsor_new(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    form = SponsorForm(request.POST or None)
    back = reverse("events:workspace", args=[event.slug])
    done = _submitted(
        request,
        form,
        lambda data: domain.sponsor_create(actor=_actor(request), event=event, **data),
        message=lambda _: f"{form.cleaned_data['name']} is a sponsor.",
        to=lambda _: back,
    )
    return done or _form_page(
        request, form, title="New sponsor", submit="Add", cancel=back, event=event
    )


@actor_required(PERM)
def sponsor_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _event(request, slug)
    sponsor: Sponsor = _by_pk(queries.sponsors_of(event), pk)
    initial = {
        "name": sponsor.name,
        "organisation": sponsor.organisation_id,
        "description": sponsor.description,
        "website": sponsor.website,
        "order": sponsor.order,
    }
    form = SponsorForm(request.POST or None, initial=initial)
    back = reverse("events:workspace", args=[event.slug])
    done = _submitted(
        request,
        form,
        lambda data: domain.sponsor_update(actor=_actor(request), sponsor=sponsor, **data),
        message=lambda _: f"{form.cleaned_data['name']} is saved.",
        to=lambda _: back,
    )
    return done or _form_page(
        request, form, title=f"Edit {sponsor.name}", submit="Save", cancel=back, event=event
    )


@actor_required(PERM)
def sponsor_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _event(request, slug)
    sponsor: Sponsor = _by_pk(queries.sponsors_of(event), pk)
    back = reverse("events:workspace", args=[event.slug])
    if request.method == "POST":
        domain.sponsor_delete(actor=_actor(request), sponsor=sponsor)
        messages.success(request, f"{sponsor.name} is no longer a sponsor.")
        return redirect(back)
    return _confirm_page(
        request,
        title=f"Remove {sponsor.name} from the sponsors of {event.name}?",
        consequences=["It disappears from the programme and its PDF."],
        cancel=back,
        event=event,
    )


# --- venues ---------------------------------------------------------------------------------


@actor_required(PERM)
def venues(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    page = Paginator(queries.venues(q=q), 100).get_page(request.GET.get("page"))
    return render(request, "events/venues.html", {"page": page, "rows": page, "q": q})


@actor_required(PERM)
def venue_new(request: HttpRequest) -> HttpResponse:
    form = VenueForm(request.POST or None)
    done = _submitted(
        request,
        form,
        lambda data: domain.venue_create(actor=_actor(request), **data),
        message=lambda venue: f"{venue.name} is a venue.",
        to=lambda _: _next(request) or reverse("events:venues"),
    )
    return done or _form_page(
        request, form, title="New venue", submit="Add venue", cancel=reverse("events:venues")
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
    done = _submitted(
        request,
        form,
        lambda data: domain.venue_update(actor=_actor(request), venue=venue, **data),
        message=lambda saved: f"{saved.name} is saved.",
        to=lambda _: reverse("events:venues"),
    )
    return done or _form_page(
        request, form, title=f"Edit {venue.name}", submit="Save", cancel=reverse("events:venues")
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
