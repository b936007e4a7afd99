"""The meeting on the day: the live page and its quorum panel, the run console, attendance
import, desk keys, check-in, votes and decisions.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from urbis.common.actor import actor_required
from urbis.common.htmx import HtmxHttpRequest
from urbis.common.inputs import error_text, or_default, parse_id
from urbis.events import queries as event_queries
from urbis.events.models import Event
from urbis.governance import domain, queries
from urbis.governance.models import AgendaItem, Delegate, Meeting, Method
from urbis.governance.views.base import RUN, _actor
from urbis.members.models import Organisation


def live(request: HtmxHttpRequest, slug: str) -> HttpResponse:
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


@actor_required(RUN)
def run(request: HttpRequest, slug: str) -> HttpResponse:
    """The staff console: attendance register, agenda, votes and decisions."""
    meeting = get_object_or_404(Meeting, slug=slug)
    quorum = queries.quorum_for(meeting)
    items = queries.agenda(meeting)
    for item in items:
        item.confirm_text = queries.decision_confirm_text(item, quorum)  # type: ignore[attr-defined]
    context = {
        "meeting": meeting,
        "quorum": quorum,
        "register": queries.register(meeting),
        "items": items,
        "present": queries.present_members(meeting),
        "voting_methods": [
            Method.ROLL_CALL,
            Method.SHOW_OF_HANDS,
            Method.SECRET_BALLOT,
        ],
        "events": event_queries.events_on(meeting.date),
    }
    return render(request, "governance/run.html", context)


@require_POST
@actor_required(RUN)
def import_attendance(request: HttpRequest, slug: str) -> HttpResponse:
    """Fill the register from the badge check-ins of an event on the meeting's day."""
    meeting = get_object_or_404(Meeting, slug=slug)
    event = Event.objects.filter(slug=request.POST.get("event", "")).first()
    if event is None:
        messages.error(request, "Choose the event whose check-ins fill the register.")
        return redirect("governance:run", slug=slug)
    try:
        result = domain.attendance_import_from_event(
            actor=_actor(request), meeting=meeting, event=event
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("governance:run", slug=slug)
    messages.success(
        request,
        f"{event}: {result.members} members checked in on {meeting.date:%d %b %Y}; "
        f"{result.checked_in} entered in the register, {result.already} already in it, "
        f"{result.delegates_accredited} delegates accredited.",
    )
    return redirect("governance:run", slug=slug)


@require_POST
@actor_required(RUN)
def desk_key_issue(request: HttpRequest, slug: str) -> HttpResponse:
    """Issue a desk key and show it once (it is not stored; revoking is by generation)."""
    meeting = get_object_or_404(Meeting, slug=slug)
    issued = domain.desk_key_issue(actor=_actor(request), meeting=meeting)
    return render(request, "governance/desk_key.html", {"meeting": meeting, "issued": issued})


@require_POST
@actor_required(RUN)
def desk_keys_revoke(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = get_object_or_404(Meeting, slug=slug)
    domain.desk_keys_revoke(actor=_actor(request), meeting=meeting)
    messages.success(request, "Every desk key issued for this meeting so far is revoked.")
    return redirect("governance:run", slug=slug)


@require_POST
@actor_required(RUN)
def check_in(request: HtmxHttpRequest, slug: str, delegate_id: int) -> HttpResponse:
    delegate = get_object_or_404(
        Delegate.objects.select_related("meeting"), pk=delegate_id, meeting__slug=slug
    )
    error = ""
    try:
        if request.POST.get("action") == "out":
            domain.attendance_check_out(actor=_actor(request), delegate=delegate)
        else:
            domain.attendance_check_in(
                actor=_actor(request),
                delegate=delegate,
                mode=request.POST.get("mode") or None,
            )
    except ValidationError as exc:  # a concluded meeting: nothing changed, say why
        error = error_text(exc)
    delegate.refresh_from_db()
    if request.htmx:
        context = {"d": delegate, "error": error, "meeting": delegate.meeting}
        return render(request, "governance/_register_row.html", context)
    if error:
        messages.error(request, error)
    return redirect("governance:run", slug=slug)


@require_POST
@actor_required(RUN)
def vote(request: HttpRequest, slug: str, item_id: int) -> HttpResponse:
    item = get_object_or_404(AgendaItem, pk=item_id, meeting__slug=slug)
    org = get_object_or_404(
        Organisation,
        pk=or_default(parse_id, request.POST.get("organisation"), 0, field="organisation"),
    )
    try:
        domain.vote_cast(
            actor=_actor(request),
            agenda_item=item,
            organisation=org,
            choice=request.POST.get("choice", ""),
        )
        messages.success(request, f"Vote of {org} recorded on agenda {item.number}.")
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("governance:run", slug=slug)


@require_POST
@actor_required(RUN)
def decide(request: HttpRequest, slug: str, item_id: int) -> HttpResponse:
    item = get_object_or_404(AgendaItem, pk=item_id, meeting__slug=slug)
    try:
        selected = None
        if request.POST.get("slate"):
            ids = [
                or_default(parse_id, value, 0, field="selected")
                for value in request.POST.getlist("selected")
            ]
            selected = list(Organisation.objects.filter(pk__in=ids))
        d = domain.decision_record(
            actor=_actor(request),
            agenda_item=item,
            outcome=request.POST.get("outcome", ""),
            selected=selected,
        )
        messages.success(request, f"Agenda {item.number}: {d.get_result_display()}.")
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("governance:run", slug=slug)
