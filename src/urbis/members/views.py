"""Registry pages. Views parse input, call a query or a domain function, and render.

Staff pages answer an anonymous visitor with a redirect to the sign-in page and a signed-in
user without the permission with 403 (`@actor_required`); permissions are django-rules
checks on the object (see `permissions.py`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from urbis.common.actor import Actor, actor_of, actor_required
from urbis.common.inputs import or_default, parse_date
from urbis.common.models import Region
from urbis.common.submit import form_submitted
from urbis.members import domain, permissions, queries
from urbis.members.forms import (
    ContactForm,
    DirectoryFilterForm,
    LifecycleForm,
    OrganisationForm,
    ParticipationForm,
    add_domain_errors,
)
from urbis.members.models import MEMBER_CATEGORIES, Category, Contact, Organisation
from urbis.members.pages import member_page_part_urls, mine_sections
from urbis.members.rules import State

PAGE_SIZE = 25
T = TypeVar("T")


def _organisation_of(request: HttpRequest, slug: str, **_: object) -> Organisation:
    """The organisation named by the URL (404 if none), read once for the rule and the view."""
    cached = getattr(request, "urbis_organisation", None)
    if not isinstance(cached, Organisation) or cached.slug != slug:
        cached = get_object_or_404(Organisation, slug=slug)
        request.urbis_organisation = cached  # type: ignore[attr-defined]
    return cached


def _actor(request: HttpRequest) -> Actor:
    """The actor `@actor_required` resolved and authorised."""
    actor = actor_of(request)
    assert actor is not None
    return actor


def _form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    title: str,
    submit: str,
    org: Organisation | None = None,
    cancel: str,
) -> HttpResponse:
    status = 400 if form.is_bound and form.errors else 200
    context = {"form": form, "title": title, "submit": submit, "org": org, "cancel": cancel}
    return render(request, "members/form.html", context, status=status)


# --- public pages -------------------------------------------------------------------------


def directory(request: HttpRequest) -> HttpResponse:
    """The public member directory with search, filters, an "as of" date and pagination."""
    form = DirectoryFilterForm(request.GET)
    filters = form.filters()
    qs = queries.organisation_list(**filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    regions = queries.region_by_country()
    rows = [(org, regions.get(str(org.country))) for org in page.object_list]
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "filters": filters,
        "as_of": filters["as_of"],
        "categories": Category.choices,
        "states": [(s.value, s.value.capitalize()) for s in State],
        "regions": Region.objects.select_related("parent"),
    }
    partial = getattr(request, "htmx", False)
    template = "members/_directory_rows.html" if partial else "members/directory.html"
    return render(request, template, context)


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    """One organisation: profile, lifecycle, participation; contacts and history if allowed."""
    org = get_object_or_404(Organisation, slug=slug)
    actor = actor_of(request)
    context = {
        "org": org,
        "events": list(org.lifecycle_events.order_by("date", "id")),
        "state": queries.state_as_of(org, queries.today()),
        "participations": org.participations.all()[:50],
        "region": queries.region_by_country().get(str(org.country)),
        "is_member_category": org.category in MEMBER_CATEGORIES,
        "contacts": (
            list(queries.organisation_contacts(org))
            if actor is not None and actor.has_perm("members.view_contacts", org)
            else None
        ),
        "history": (
            queries.organisation_history(org)
            if actor is not None and actor.has_perm("members.view_audit", org)
            else None
        ),
        "parts": member_page_part_urls(org.slug),
    }
    return render(request, "members/detail.html", context)


def counts(request: HttpRequest) -> HttpResponse:
    """Membership counts by category and state as of a date, computed by one query."""
    as_of = or_default(
        parse_date,
        request.GET.get("as_of"),
        queries.today(),
        field="as_of",
        min=dt.date.min,
        max=dt.date.max,
    )
    return render(
        request,
        "members/counts.html",
        {"rows": queries.membership_rows(as_of=as_of), "as_of": as_of},
    )


# --- focal points -------------------------------------------------------------------------


@actor_required("members.view_mine")
def mine(request: HttpRequest) -> HttpResponse:
    """A focal point's own space: its member's profile and contacts, then the sections the
    other apps register (invoices, payments, registrations, prize, meetings, messages)."""
    organisations = list(queries.focal_point_organisations(request.user))
    orgs = [(org, list(org.contacts.all())) for org in organisations]
    return render(
        request,
        "members/mine.html",
        {"organisations": orgs, "sections": mine_sections(request.user, organisations)},
    )


# --- staff (and focal point) forms --------------------------------------------------------


def _form_cycle(
    request: HttpRequest,
    form: forms.BaseForm,
    write: Callable[[dict[str, Any]], T],
    *,
    message: Callable[[T], str],
    title: str,
    submit: str,
    org: Organisation | None = None,
) -> HttpResponse:
    """A registry form (`common.submit.form_submitted`): saved, the success `message` and
    the member's page (the organisation written, or `org`, the one the form is about); else
    the form again. Cancel goes back to `org`'s page, or to the directory."""

    def member_page(result: T) -> str:
        member = result if isinstance(result, Organisation) else org
        assert member is not None
        return reverse("members:detail", args=[member.slug])

    done = form_submitted(
        request, form, write, message=message, to=member_page, errors_on=add_domain_errors
    )
    cancel = reverse("members:detail", args=[org.slug]) if org else reverse("members:directory")
    return done or _form_page(request, form, title=title, submit=submit, org=org, cancel=cancel)


@actor_required("members.add_organisation")
def organisation_new(request: HttpRequest) -> HttpResponse:
    fields = permissions.organisation_fields_for(request.user)
    return _form_cycle(
        request,
        OrganisationForm(request.POST or None, fields=fields),
        lambda data: domain.organisation_create(actor=_actor(request), **data),
        message=lambda org: f"Organisation “{org.name}” created.",
        title="New organisation",
        submit="Create organisation",
    )


@actor_required("members.change_organisation", obj=_organisation_of)
def organisation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    org = _organisation_of(request, slug)
    fields = permissions.organisation_fields_for(request.user)
    return _form_cycle(
        request,
        OrganisationForm(request.POST or None, fields=fields, instance=org),
        lambda data: domain.organisation_update(actor=_actor(request), organisation=org, **data),
        message=lambda saved: f"Profile of “{saved.name}” saved.",
        title=f"Edit {org.name}",
        submit="Save profile",
        org=org,
    )


def _record_page(
    request: HttpRequest,
    slug: str,
    form: type[forms.Form],
    record: Callable[..., T],
    *,
    message: Callable[[T], str],
    title: str,
    submit: str,
) -> HttpResponse:
    """A form that records something on a member (`record`, a domain function taking the
    organisation); `title` names it with `{name}`."""
    org = _organisation_of(request, slug)
    return _form_cycle(
        request,
        form(request.POST or None),
        lambda data: record(actor=_actor(request), organisation=org, **data),
        message=message,
        title=title.format(name=org.name),
        submit=submit,
        org=org,
    )


@actor_required("members.record_lifecycle", obj=_organisation_of)
def lifecycle_new(request: HttpRequest, slug: str) -> HttpResponse:
    return _record_page(
        request,
        slug,
        LifecycleForm,
        domain.lifecycle_record,
        message=lambda event: f"Recorded “{event.get_kind_display()}” on {event.date:%Y-%m-%d}.",
        title="Record a lifecycle event for {name}",
        submit="Record event",
    )


@actor_required("members.record_participation", obj=_organisation_of)
def participation_new(request: HttpRequest, slug: str) -> HttpResponse:
    return _record_page(
        request,
        slug,
        ParticipationForm,
        domain.participation_record,
        message=lambda part: f"Recorded participation in “{part.activity}”.",
        title="Record participation of {name}",
        submit="Record participation",
    )


def _contact_page(request: HttpRequest, org: Organisation, contact: Contact | None) -> HttpResponse:
    fields = permissions.contact_fields_for(request.user)
    return _form_cycle(
        request,
        ContactForm(request.POST or None, fields=fields, instance=contact),
        lambda data: domain.contact_save(
            actor=_actor(request), organisation=org, contact=contact, **data
        ),
        message=lambda saved: f"Contact “{saved.name}” saved.",
        title=f"Edit contact {contact.name}" if contact else f"New contact of {org.name}",
        submit="Save contact",
        org=org,
    )


@actor_required("members.change_contacts", obj=_organisation_of)
def contact_new(request: HttpRequest, slug: str) -> HttpResponse:
    org = _organisation_of(request, slug)
    return _contact_page(request, org, None)


@actor_required("members.change_contacts", obj=_organisation_of)
def contact_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    org = _organisation_of(request, slug)
    contact = get_object_or_404(Contact, pk=pk, organisation=org)
    return _contact_page(request, org, contact)
