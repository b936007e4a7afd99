"""Event pages. Views parse input, call a query or a domain function, and render."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from urbis.common.actor import Actor, actor_of, actor_required
from urbis.common.exports import CONTENT_TYPES
from urbis.common.htmx import HtmxHttpRequest
from urbis.common.inputs import (
    InputError,
    optional,
    or_default,
    parse_choice,
    parse_date,
    parse_id,
)
from urbis.events import badges, charts, domain, exports, geo, queries, rules
from urbis.events.forms import RegistrationForm
from urbis.events.models import CheckIn, Event, Registration, RegistrationStatus


def _event(request: HttpRequest, slug: str) -> Event:
    """The event of the URL; an unpublished one only for those who prepare events."""
    event = get_object_or_404(Event, slug=slug)
    actor = actor_of(request)
    if not event.is_public and not (actor and actor.has_perm("events.change_programme")):
        raise Http404("No such event.")
    return event


def _registration(request: HttpRequest, slug: str, code: str, **_: object) -> Registration:
    """The registration of the URL, looked up once: the object of the page's rule and the
    registration the page shows."""
    found = getattr(request, "_events_registration", None)
    if not isinstance(found, Registration):
        found = get_object_or_404(
            Registration.objects.select_related("organisation", "event"),
            event=_event(request, slug),
            code=code,
        )
        setattr(request, "_events_registration", found)  # noqa: B010 - no typed attribute
    return found


def _actor(request: HttpRequest) -> Actor:
    """The actor `@actor_required` resolved."""
    actor = actor_of(request)
    assert actor is not None
    return actor


def event_list(request: HttpRequest) -> HttpResponse:
    return render(request, "events/list.html", {"events": queries.public_events()})


def programme(request: HttpRequest, slug: str) -> HttpResponse:
    """The public programme at a glance."""
    event = _event(request, slug)
    return render(request, "events/programme.html", exports.programme_context(event))


def programme_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    response = HttpResponse(exports.programme_pdf(event), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{event.slug}-programme.pdf"'
    return response


def programme_ics(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    response = HttpResponse(exports.programme_ical(event), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


def statistics(request: HttpRequest, slug: str) -> HttpResponse:
    """Participation statistics computed from registrations and check-ins, with charts."""
    event = _event(request, slug)
    stats = queries.statistics(event)
    points, unplaced = geo.place(stats.cities)
    context = {
        "event": event,
        "stats": stats,
        "region_chart": charts.bar_chart(
            [(r.region, r.count) for r in stats.cities_by_region],
            title="Participating cities by region",
        ),
        "attendance_chart": charts.bar_chart(
            [("On-site", stats.on_site), ("Online", stats.online)],
            title="Delegates by attendance",
        ),
        "map": charts.world_map(
            points, title="Participating cities", background=geo.settled_cells(1.5), cell=1.5
        ),
        "placed": len(points),
        "unplaced": unplaced,
    }
    return render(request, "events/statistics.html", context)


@actor_required("events.view_registrations")
def registrations(request: HttpRequest, slug: str) -> HttpResponse:
    """Registrations: the secretariat sees all; a focal point its own member's delegates."""
    event = _event(request, slug)
    actor = _actor(request)
    status = request.GET.get("status", "")
    search = request.GET.get("q", "").strip()
    qs = queries.registrations_visible_to(request.user, event)
    if status:
        qs = qs.filter(status=status)
    if search:
        qs = qs.filter(person_name__icontains=search) | qs.filter(
            organisation__name__icontains=search
        )
    page = Paginator(qs.order_by("organisation__name", "person_name", "id"), 100).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "event": event,
        "rows": page.object_list,
        "page": page,
        "querystring": query.urlencode(),
        "status": status,
        "q": search,
        "statuses": RegistrationStatus.choices,
        "can_approve": actor.has_perm("events.approve_registration"),
        "can_export": actor.has_perm("events.export_participants"),
    }
    return render(request, "events/registrations.html", context)


@actor_required("events.view_registrations")
def register(request: HttpRequest, slug: str) -> HttpResponse:
    """Register a delegate: staff for anyone, a focal point for its own member (the form
    offers only the organisations the actor may register for)."""
    event = _event(request, slug)
    actor = _actor(request)
    form = RegistrationForm(request.POST or None, event=event, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actor.require("events.register_delegate", data["organisation"])
        try:
            reg = domain.registration_create(actor=actor, event=event, **data)
        except ValidationError as exc:
            for field_name, errors in exc.message_dict.items():
                target = field_name if field_name in form.fields else None
                for error in errors:
                    form.add_error(target, error)
        else:
            messages.success(
                request,
                f"{reg.person_name} is registered ({reg.get_status_display().lower()}); "
                f"badge code {rules.format_code(reg.code)}.",
            )
            return redirect("events:registration", slug=event.slug, code=reg.code)
    return render(request, "events/register.html", {"event": event, "form": form})


@actor_required("events.view_registration", obj=_registration)
def registration_detail(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    reg = _registration(request, slug, code)
    event = reg.event
    context = {
        "event": event,
        "reg": reg,
        "signups": reg.signups.select_related("session"),
        "open_sessions": queries.signup_sessions(event).exclude(signups__registration=reg),
        "checkins": reg.checkins.all(),
        "qr_svg": badges.qr_svg_data_uri(badges.qr_payload(reg)),
        "code": rules.format_code(reg.code),
        "can_approve": _actor(request).has_perm("events.approve_registration"),
    }
    return render(request, "events/registration.html", context)


@actor_required("events.print_badge", obj=_registration)
def badge_pdf(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    reg = _registration(request, slug, code)
    response = HttpResponse(badges.badges_pdf([reg]), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="badge-{reg.code}.pdf"'
    return response


@actor_required("events.export_participants")
def badges_batch_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """Every approved delegate's badge (optionally on-site only), one per page, for printing."""
    event = _event(request, slug)
    qs = queries.participant_list(event).select_related("event")
    if request.GET.get("attendance"):
        qs = qs.filter(attendance=request.GET["attendance"])
    response = HttpResponse(badges.badges_pdf(qs), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{event.slug}-badges.pdf"'
    return response


@require_POST
@actor_required("events.view_registration", obj=_registration)
def signup(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """Sign a registered delegate up for a session or tour from the registration page."""
    reg = _registration(request, slug, code)
    event = reg.event
    raw = request.POST.get("session", "").strip()
    try:
        session_id = optional(parse_id, raw, field="session")
    except InputError:
        # A value the form's select cannot send: the request was made by hand.
        return render(
            request,
            "events/bad_request.html",
            {"event": event, "message": f"session: “{raw[:40]}” is not a session id."},
            status=400,
        )
    session = queries.signup_sessions(event).filter(pk=session_id or 0).first()
    if session is None:
        messages.error(request, "Choose a session or tour.")
    else:
        try:
            domain.session_signup(actor=_actor(request), registration=reg, session=session)
            messages.success(request, f"{reg.person_name} is signed up for “{session.title}”.")
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
    return redirect("events:registration", slug=event.slug, code=reg.code)


@require_POST
@actor_required("events.approve_registration")
def approve(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    event = _event(request, slug)
    reg = get_object_or_404(Registration, event=event, code=code)
    try:
        domain.registration_approve(actor=_actor(request), registration=reg)
        messages.success(request, f"{reg.person_name} is approved.")
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("events:registrations", slug=event.slug)


@require_POST
@actor_required("events.approve_registration")
def reject(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """Turn a pending registration down; the reason is sent to the delegate."""
    event = _event(request, slug)
    reg = get_object_or_404(Registration, event=event, code=code)
    try:
        domain.registration_reject(
            actor=_actor(request), registration=reg, reason=request.POST.get("reason", "")
        )
        messages.success(request, f"{reg.person_name}'s registration is rejected.")
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    return redirect("events:registration", slug=event.slug, code=reg.code)


def _default_day(event: Event) -> dt.date:
    today = timezone.localdate(timezone=ZoneInfo(event.time_zone))
    return today if event.starts_on <= today <= event.ends_on else event.starts_on


@actor_required("events.check_in")
def checkin(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """The staff check-in page: scan a badge (camera or scanner) or type its code."""
    event = _event(request, slug)
    days = queries.event_days(event)
    day = or_default(
        parse_date,
        request.POST.get("day") or request.GET.get("day"),
        _default_day(event),
        field="day",
    )
    context: dict[str, object] = {"event": event, "days": days, "day": day}
    if request.method == "POST":
        method = or_default(
            parse_choice,
            request.POST.get("method"),
            CheckIn.Method.TYPED,
            field="method",
            choices=CheckIn.Method.values,
        )
        try:
            record, created = domain.checkin_record(
                actor=_actor(request),
                event=event,
                code=request.POST.get("code", ""),
                day=day,
                method=method,
            )
            context.update({"record": record, "created": created, "reg": record.registration})
        except ValidationError as exc:
            context["error"] = "; ".join(exc.messages)
    context["count"] = CheckIn.objects.filter(registration__event=event, day=day).count()
    template = "events/_checkin_result.html" if request.htmx else "events/checkin.html"
    return render(request, template, context)


@actor_required("events.export_participants")
def participants_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    event = _event(request, slug)
    if fmt not in ("csv", "xlsx"):
        raise Http404("Participants export is CSV or XLSX.")
    response = HttpResponse(
        exports.participants_file(event, fmt),  # type: ignore[arg-type]
        content_type=CONTENT_TYPES[fmt],
    )
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-participants.{fmt}"'
    return response
