"""Governance pages. Views parse input, call a query or a domain function, and render."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from urbis.common.pdf import render_pdf
from urbis.events import queries as event_queries
from urbis.events.models import Event
from urbis.governance import domain, queries
from urbis.governance.models import AgendaItem, Delegate, Meeting, Method
from urbis.members.models import Organisation


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _errors(exc: ValidationError) -> str:
    return "; ".join(str(m) for msgs in exc.message_dict.values() for m in msgs)


def meeting_list(request: HttpRequest) -> HttpResponse:
    meetings = Meeting.objects.select_related("host").order_by("-date", "body")
    return render(request, "governance/meeting_list.html", {"meetings": meetings})


def meeting_detail(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = get_object_or_404(Meeting, slug=slug)
    return render(
        request,
        "governance/meeting_detail.html",
        {"meeting": meeting, "items": queries.agenda(meeting)},
    )


def offices(request: HttpRequest) -> HttpResponse:
    """Who held what on a date (today by default)."""
    on = _date(request.GET.get("on")) or dt.date.today()
    return render(request, "governance/offices.html", {"on": on, "terms": queries.terms_on(on)})


def statutes(request: HttpRequest) -> HttpResponse:
    on = _date(request.GET.get("on")) or dt.date.today()
    rows = queries.articles_with_text(on)
    return render(request, "governance/statutes.html", {"on": on, "rows": rows})


def memorandum(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = get_object_or_404(Meeting, slug=slug)
    return render(request, "governance/memorandum.html", {"memo": queries.memorandum(meeting)})


def memorandum_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = get_object_or_404(Meeting, slug=slug)
    pdf = render_pdf("governance/memorandum_pdf.html", {"memo": queries.memorandum(meeting)})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="memorandum-{meeting.slug}.pdf"'
    return response


def live(request: HttpRequest, slug: str) -> HttpResponse:
    """The live quorum page: its panel reloads itself every second (htmx polling)."""
    meeting = get_object_or_404(Meeting, slug=slug)
    context = {"meeting": meeting, "quorum": queries.quorum_for(meeting)}
    template = "governance/_quorum.html" if request.htmx else "governance/live.html"
    return render(request, template, context)


def quorum_panel(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = get_object_or_404(Meeting, slug=slug)
    return render(
        request,
        "governance/_quorum.html",
        {"meeting": meeting, "quorum": queries.quorum_for(meeting)},
    )


@permission_required("governance.run_meeting", raise_exception=True)
def run(request: HttpRequest, slug: str) -> HttpResponse:
    """The staff console: attendance register, agenda, votes and decisions."""
    meeting = get_object_or_404(Meeting, slug=slug)
    context = {
        "meeting": meeting,
        "quorum": queries.quorum_for(meeting),
        "register": queries.register(meeting),
        "items": queries.agenda(meeting),
        "present": queries.present_members(meeting),
        "voting_methods": [Method.ROLL_CALL, Method.SHOW_OF_HANDS, Method.SECRET_BALLOT],
        "events": event_queries.events_on(meeting.date),
    }
    return render(request, "governance/run.html", context)


@require_POST
@permission_required("governance.run_meeting", raise_exception=True)
def import_attendance(request: HttpRequest, slug: str) -> HttpResponse:
    """Fill the register from the badge check-ins of an event on the meeting's day."""
    meeting = get_object_or_404(Meeting, slug=slug)
    event = Event.objects.filter(slug=request.POST.get("event", "")).first()
    if event is None:
        messages.error(request, "Choose the event whose check-ins fill the register.")
        return redirect("governance:run", slug=slug)
    result = domain.attendance_import_from_event(actor=request.user, meeting=meeting, event=event)
    messages.success(
        request,
        f"{event}: {result.members} members checked in on {meeting.date:%d %b %Y}; "
        f"{result.checked_in} entered in the register, {result.already} already in it, "
        f"{result.delegates_accredited} delegates accredited.",
    )
    return redirect("governance:run", slug=slug)


@require_POST
@permission_required("governance.run_meeting", raise_exception=True)
def desk_key_issue(request: HttpRequest, slug: str) -> HttpResponse:
    """Issue a desk key and show it once (it is not stored; revoking is by generation)."""
    meeting = get_object_or_404(Meeting, slug=slug)
    issued = domain.desk_key_issue(actor=request.user, meeting=meeting)
    return render(request, "governance/desk_key.html", {"meeting": meeting, "issued": issued})


@require_POST
@permission_required("governance.run_meeting", raise_exception=True)
def desk_keys_revoke(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = get_object_or_404(Meeting, slug=slug)
    domain.desk_keys_revoke(actor=request.user, meeting=meeting)
    messages.success(request, "Every desk key issued for this meeting so far is revoked.")
    return redirect("governance:run", slug=slug)


@require_POST
@permission_required("governance.run_meeting", raise_exception=True)
def check_in(request: HttpRequest, slug: str, delegate_id: int) -> HttpResponse:
    delegate = get_object_or_404(Delegate, pk=delegate_id, meeting__slug=slug)
    if request.POST.get("action") == "out":
        domain.attendance_check_out(actor=request.user, delegate=delegate)
    else:
        domain.attendance_check_in(
            actor=request.user, delegate=delegate, mode=request.POST.get("mode") or None
        )
    delegate.refresh_from_db()
    if request.htmx:
        return render(request, "governance/_register_row.html", {"d": delegate})
    return redirect("governance:run", slug=slug)


@require_POST
@permission_required("governance.run_meeting", raise_exception=True)
def vote(request: HttpRequest, slug: str, item_id: int) -> HttpResponse:
    item = get_object_or_404(AgendaItem, pk=item_id, meeting__slug=slug)
    org = get_object_or_404(Organisation, pk=request.POST.get("organisation") or 0)
    try:
        domain.vote_cast(
            actor=request.user,
            agenda_item=item,
            organisation=org,
            choice=request.POST.get("choice", ""),
        )
        messages.success(request, f"Vote of {org} recorded on agenda {item.number}.")
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("governance:run", slug=slug)


@require_POST
@permission_required("governance.run_meeting", raise_exception=True)
def decide(request: HttpRequest, slug: str, item_id: int) -> HttpResponse:
    item = get_object_or_404(AgendaItem, pk=item_id, meeting__slug=slug)
    try:
        selected = None
        if request.POST.get("slate"):
            ids = request.POST.getlist("selected")
            selected = list(Organisation.objects.filter(pk__in=ids))
        d = domain.decision_record(
            actor=request.user,
            agenda_item=item,
            outcome=request.POST.get("outcome", ""),
            selected=selected,
        )
        messages.success(request, f"Agenda {item.number}: {d.get_result_display()}.")
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("governance:run", slug=slug)
