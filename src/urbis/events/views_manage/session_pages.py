"""Sessions of an event's programme: new, edit and delete (refused while delegates are
signed up).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from urbis.common.actor import actor_required
from urbis.events import domain, queries
from urbis.events.forms import SessionForm
from urbis.events.models import Session
from urbis.events.views_manage.base import (
    PERM,
    _actor,
    _by_pk,
    _confirm_page,
    _event,
    _form_cycle,
)


def _on_the_programme(session: Session) -> str:
    return reverse("events:workspace", args=[session.event.slug]) + f"#day-{session.day}"


def _session_form(
    request: HttpRequest,
    form: SessionForm,
    write: Callable[[dict[str, Any]], Session],
    *,
    message: Callable[[Session], str],
    title: str,
    submit: str,
) -> HttpResponse:
    """A session's form page: saved, back to its day on the programme; cancel, the event."""
    event = form.event
    return _form_cycle(
        request,
        form,
        write,
        message=message,
        to=_on_the_programme,
        title=title,
        submit=submit,
        cancel=reverse("events:workspace", args=[event.slug]),
        event=event,
    )


@actor_required(PERM)
def session_new(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    initial = {
        "day": request.GET.get("day", ""),
        "official_language": event.official_language,
    }
    return _session_form(
        request,
        SessionForm(request.POST or None, event=event, initial=initial),
        lambda data: domain.session_create(actor=_actor(request), event=event, **data),
        message=lambda session: f"“{session.title}” is on the programme.",
        title=f"New session of {event.name}",
        submit="Add session",
    )


@actor_required(PERM)
def session_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _event(request, slug)
    session: Session = _by_pk(queries.sessions_of(event).select_related("event"), pk)
    return _session_form(
        request,
        SessionForm(request.POST or None, event=event, initial=SessionForm.initial_for(session)),
        lambda data: domain.session_update(actor=_actor(request), session=session, **data),
        message=lambda saved: f"“{saved.title}” is saved.",
        title=f"Edit “{session.title}”",
        submit="Save",
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
