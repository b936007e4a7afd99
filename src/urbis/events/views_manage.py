"""Staff pages that prepare an event: the events list, an event's workspace (programme
editor, venues, sponsors, registration settings), forms and delete confirmations.

Each view parses a form and calls one domain function; the domain's field errors are shown
on the form's fields, and a refused delete comes back as a message on the workspace.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from urbis.events import domain, queries, rules
from urbis.events.forms import EventForm, SessionForm, SponsorForm, VenueForm
from urbis.events.models import Event, Session, Sponsor, Venue

PERM = "events.change_programme"


def _staff(request: HttpRequest) -> None:
    if not request.user.has_perm(PERM):
        raise PermissionDenied


def _event(request: HttpRequest, slug: str) -> Event:
    _staff(request)
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


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    """Every event, published or not, newest first, with a search box."""
    _staff(request)
    q = request.GET.get("q", "").strip()
    qs = queries.events_visible_to(request.user, q=q)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "events/manage_list.html", {"page": page, "rows": page, "q": q})


@login_required
def event_new(request: HttpRequest) -> HttpResponse:
    _staff(request)
    form = EventForm(request.POST or None, initial={"time_zone": "UTC", "is_public": True})
    if request.method == "POST" and form.is_valid():
        try:
            event = domain.event_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _show_errors(form, exc)
        else:
            messages.success(request, f"{event.name} is created; add its venues and sessions.")
            return redirect("events:workspace", slug=event.slug)
    return _form_page(
        request, form, title="New event", submit="Create event", cancel=reverse("events:manage")
    )


@login_required
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


@login_required
def event_edit(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    form = EventForm(request.POST or None, initial=EventForm.initial_for(event))
    if request.method == "POST" and form.is_valid():
        try:
            event = domain.event_update(actor=request.user, event=event, **form.cleaned_data)
        except ValidationError as exc:
            _show_errors(form, exc)
        else:
            messages.success(request, f"{event.name} is saved.")
            return redirect("events:workspace", slug=event.slug)
    return _form_page(
        request,
        form,
        title=f"Edit {event.name}",
        submit="Save",
        cancel=reverse("events:workspace", args=[event.slug]),
        event=event,
    )


@login_required
def event_delete(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    if request.method == "POST":
        try:
            domain.event_delete(actor=request.user, event=event)
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


def _session_data(form: SessionForm) -> dict[str, Any]:
    return dict(form.cleaned_data)


@login_required
def session_new(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    initial = {"day": request.GET.get("day", ""), "official_language": event.official_language}
    form = SessionForm(request.POST or None, event=event, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            session = domain.session_create(actor=request.user, event=event, **_session_data(form))
        except ValidationError as exc:
            _show_errors(form, exc)
        else:
            messages.success(request, f"“{session.title}” is on the programme.")
            return redirect(reverse("events:workspace", args=[event.slug]) + f"#day-{session.day}")
    return _form_page(
        request,
        form,
        title=f"New session of {event.name}",
        submit="Add session",
        cancel=reverse("events:workspace", args=[event.slug]),
        event=event,
    )


@login_required
def session_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _event(request, slug)
    session: Session = _by_pk(queries.sessions_of(event).select_related("event"), pk)
    form = SessionForm(request.POST or None, event=event, initial=SessionForm.initial_for(session))
    if request.method == "POST" and form.is_valid():
        try:
            session = domain.session_update(
                actor=request.user, session=session, **_session_data(form)
            )
        except ValidationError as exc:
            _show_errors(form, exc)
        else:
            messages.success(request, f"“{session.title}” is saved.")
            return redirect(reverse("events:workspace", args=[event.slug]) + f"#day-{session.day}")
    return _form_page(
        request,
        form,
        title=f"Edit “{session.title}”",
        submit="Save",
        cancel=reverse("events:workspace", args=[event.slug]),
        event=event,
    )


@login_required
def session_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _event(request, slug)
    session: Session = _by_pk(Session.objects.filter(event=event), pk)
    back = reverse("events:workspace", args=[event.slug])
    if request.method == "POST":
        try:
            domain.session_delete(actor=request.user, session=session)
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


@login_required
def sponsor_new(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    form = SponsorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            domain.sponsor_create(actor=request.user, event=event, **form.cleaned_data)
        except ValidationError as exc:
            _show_errors(form, exc)
        else:
            messages.success(request, f"{form.cleaned_data['name']} is a sponsor.")
            return redirect("events:workspace", slug=event.slug)
    back = reverse("events:workspace", args=[event.slug])
    return _form_page(request, form, title="New sponsor", submit="Add", cancel=back, event=event)


@login_required
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
    if request.method == "POST" and form.is_valid():
        try:
            domain.sponsor_update(actor=request.user, sponsor=sponsor, **form.cleaned_data)
        except ValidationError as exc:
            _show_errors(form, exc)
        else:
            messages.success(request, f"{form.cleaned_data['name']} is saved.")
            return redirect("events:workspace", slug=event.slug)
    back = reverse("events:workspace", args=[event.slug])
    return _form_page(
        request, form, title=f"Edit {sponsor.name}", submit="Save", cancel=back, event=event
    )


@login_required
def sponsor_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _event(request, slug)
    sponsor: Sponsor = _by_pk(queries.sponsors_of(event), pk)
    back = reverse("events:workspace", args=[event.slug])
    if request.method == "POST":
        domain.sponsor_delete(actor=request.user, sponsor=sponsor)
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


@login_required
def venues(request: HttpRequest) -> HttpResponse:
    _staff(request)
    q = request.GET.get("q", "").strip()
    page = Paginator(queries.venues(q=q), 100).get_page(request.GET.get("page"))
    return render(request, "events/venues.html", {"page": page, "rows": page, "q": q})


@login_required
def venue_new(request: HttpRequest) -> HttpResponse:
    _staff(request)
    form = VenueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            venue = domain.venue_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _show_errors(form, exc)
        else:
            messages.success(request, f"{venue.name} is a venue.")
            return redirect(_next(request) or reverse("events:venues"))
    return _form_page(
        request, form, title="New venue", submit="Add venue", cancel=reverse("events:venues")
    )


@login_required
def venue_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    venue: Venue = _by_pk(Venue.objects.all(), pk)
    initial = {
        "name": venue.name,
        "address": venue.address,
        "city": venue.city,
        "country": str(venue.country),
    }
    form = VenueForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            venue = domain.venue_update(actor=request.user, venue=venue, **form.cleaned_data)
        except ValidationError as exc:
            _show_errors(form, exc)
        else:
            messages.success(request, f"{venue.name} is saved.")
            return redirect("events:venues")
    return _form_page(
        request, form, title=f"Edit {venue.name}", submit="Save", cancel=reverse("events:venues")
    )


@login_required
def venue_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    venue: Venue = _by_pk(Venue.objects.all(), pk)
    if request.method == "POST":
        try:
            domain.venue_delete(actor=request.user, venue=venue)
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
