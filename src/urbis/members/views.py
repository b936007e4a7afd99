"""Registry pages. Views parse input, call a query or a domain function, and render.

Staff pages answer an anonymous visitor with a redirect to the sign-in page and a signed-in
user without the permission with 403; permissions are django-rules checks on the object
(see `permissions.py`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from urbis.common.models import Region
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


def _parse_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def guarded(perm: str) -> Callable[..., Any]:
    """Sign-in required (else redirect), then `perm` on the organisation named by `slug`."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, slug: str = "", **kwargs: Any) -> Any:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            org = get_object_or_404(Organisation, slug=slug) if slug else None
            if not request.user.has_perm(perm, org):
                raise PermissionDenied
            if org is not None:
                kwargs["org"] = org
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _form_page(
    request: HttpRequest, form: Any, *, title: str, submit: str, org: Any = None, cancel: str
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
    user = request.user
    context = {
        "org": org,
        "events": list(org.lifecycle_events.order_by("date", "id")),
        "state": queries.state_as_of(org, queries.today()),
        "participations": org.participations.all()[:50],
        "region": queries.region_by_country().get(str(org.country)),
        "is_member_category": org.category in MEMBER_CATEGORIES,
        "contacts": (
            list(queries.organisation_contacts(org))
            if user.has_perm("members.view_contacts", org)
            else None
        ),
        "history": (
            queries.organisation_history(org) if user.has_perm("members.view_audit", org) else None
        ),
        "parts": member_page_part_urls(org.slug),
    }
    return render(request, "members/detail.html", context)


def counts(request: HttpRequest) -> HttpResponse:
    """Membership counts by category and state as of a date, computed by one query."""
    as_of = _parse_date(request.GET.get("as_of")) or queries.today()
    return render(
        request,
        "members/counts.html",
        {"rows": queries.membership_rows(as_of=as_of), "as_of": as_of},
    )


# --- focal points -------------------------------------------------------------------------


def mine(request: HttpRequest) -> HttpResponse:
    """A focal point's own space: its member's profile and contacts, then the sections the
    other apps register (invoices, payments, registrations, prize, meetings, messages)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    organisations = list(queries.focal_point_organisations(request.user))
    orgs = [(org, list(org.contacts.all())) for org in organisations]
    return render(
        request,
        "members/mine.html",
        {"organisations": orgs, "sections": mine_sections(request.user, organisations)},
    )


# --- staff (and focal point) forms --------------------------------------------------------


@guarded("members.add_organisation")
def organisation_new(request: HttpRequest) -> HttpResponse:
    fields = permissions.organisation_fields_for(request.user)
    form = OrganisationForm(request.POST or None, fields=fields)
    if request.method == "POST" and form.is_valid():
        try:
            org = domain.organisation_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, f"Organisation “{org.name}” created.")
            return redirect("members:detail", slug=org.slug)
    return _form_page(
        request,
        form,
        title="New organisation",
        submit="Create organisation",
        cancel=reverse("members:directory"),
    )


@guarded("members.change_organisation")
def organisation_edit(request: HttpRequest, org: Organisation) -> HttpResponse:
    fields = permissions.organisation_fields_for(request.user)
    form = OrganisationForm(request.POST or None, fields=fields, instance=org)
    if request.method == "POST" and form.is_valid():
        try:
            org = domain.organisation_update(
                actor=request.user, organisation=org, **form.cleaned_data
            )
        except ValidationError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, f"Profile of “{org.name}” saved.")
            return redirect("members:detail", slug=org.slug)
    return _form_page(
        request,
        form,
        title=f"Edit {org.name}",
        submit="Save profile",
        org=org,
        cancel=reverse("members:detail", args=[org.slug]),
    )


@guarded("members.record_lifecycle")
def lifecycle_new(request: HttpRequest, org: Organisation) -> HttpResponse:
    form = LifecycleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = domain.lifecycle_record(
                actor=request.user, organisation=org, **form.cleaned_data
            )
        except ValidationError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(
                request, f"Recorded “{event.get_kind_display()}” on {event.date:%Y-%m-%d}."
            )
            return redirect("members:detail", slug=org.slug)
    return _form_page(
        request,
        form,
        title=f"Record a lifecycle event for {org.name}",
        submit="Record event",
        org=org,
        cancel=reverse("members:detail", args=[org.slug]),
    )


@guarded("members.record_participation")
def participation_new(request: HttpRequest, org: Organisation) -> HttpResponse:
    form = ParticipationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            part = domain.participation_record(
                actor=request.user, organisation=org, **form.cleaned_data
            )
        except ValidationError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, f"Recorded participation in “{part.activity}”.")
            return redirect("members:detail", slug=org.slug)
    return _form_page(
        request,
        form,
        title=f"Record participation of {org.name}",
        submit="Record participation",
        org=org,
        cancel=reverse("members:detail", args=[org.slug]),
    )


def _contact_page(request: HttpRequest, org: Organisation, contact: Contact | None) -> HttpResponse:
    fields = permissions.contact_fields_for(request.user)
    form = ContactForm(request.POST or None, fields=fields, instance=contact)
    if request.method == "POST" and form.is_valid():
        try:
            saved = domain.contact_save(
                actor=request.user, organisation=org, contact=contact, **form.cleaned_data
            )
        except ValidationError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, f"Contact “{saved.name}” saved.")
            return redirect("members:detail", slug=org.slug)
    return _form_page(
        request,
        form,
        title=f"Edit contact {contact.name}" if contact else f"New contact of {org.name}",
        submit="Save contact",
        org=org,
        cancel=reverse("members:detail", args=[org.slug]),
    )


@guarded("members.change_contacts")
def contact_new(request: HttpRequest, org: Organisation) -> HttpResponse:
    return _contact_page(request, org, None)


@guarded("members.change_contacts")
def contact_edit(request: HttpRequest, org: Organisation, pk: int) -> HttpResponse:
    contact = get_object_or_404(Contact, pk=pk, organisation=org)
    return _contact_page(request, org, contact)
