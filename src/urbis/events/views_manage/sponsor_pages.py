"""Sponsors of an event: new, edit and delete."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from urbis.common.actor import actor_required
from urbis.events import domain, queries
from urbis.events.forms import SponsorForm
from urbis.events.models import Sponsor
from urbis.events.views_manage.base import (
    PERM,
    _actor,
    _by_pk,
    _confirm_page,
    _event,
    _form_cycle,
)


@actor_required(PERM)
def sponsor_new(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    form = SponsorForm(request.POST or None)
    back = reverse("events:workspace", args=[event.slug])
    return _form_cycle(
        request,
        form,
        lambda data: domain.sponsor_create(actor=_actor(request), event=event, **data),
        message=lambda _: f"{form.cleaned_data['name']} is a sponsor.",
        to=lambda _: back,
        title="New sponsor",
        submit="Add",
        cancel=back,
        event=event,
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
    return _form_cycle(
        request,
        form,
        lambda data: domain.sponsor_update(actor=_actor(request), sponsor=sponsor, **data),
        message=lambda _: f"{form.cleaned_data['name']} is saved.",
        to=lambda _: back,
        title=f"Edit {sponsor.name}",
        submit="Save",
        cancel=back,
        event=event,
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
