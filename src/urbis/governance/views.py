"""Governance pages. Views parse input, call a query or a domain function, and render."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from urbis.common.actor import Actor, actor_of, actor_required
from urbis.common.htmx import HtmxHttpRequest
from urbis.common.inputs import InputError, error_text, optional, parse_date, parse_id
from urbis.common.pdf import render_pdf
from urbis.events import queries as event_queries
from urbis.events.models import Event
from urbis.governance import domain, queries
from urbis.governance.forms import (
    AgendaItemForm,
    CandidateForm,
    ConveneForm,
    ErratumForm,
    MeetingForm,
)
from urbis.governance.models import AgendaItem, Candidate, Delegate, Meeting, Method
from urbis.members.models import Organisation

RUN = "governance.run_meeting"  # the rule of every staff page here (`@actor_required`)


def _on(request: HttpRequest) -> dt.date:
    """The `?on=` date of a register page; today when it is missing or not a date."""
    try:
        return optional(parse_date, request.GET.get("on"), field="on") or dt.date.today()
    except InputError:
        return dt.date.today()


def _id(value: object) -> int:
    """An id from a form (0, which names nothing, when it is missing or not an id)."""
    try:
        return optional(parse_id, value, field="id") or 0
    except InputError:
        return 0


def _actor(request: HttpRequest) -> Actor:
    """The actor `@actor_required` resolved."""
    actor = actor_of(request)
    assert actor is not None
    return actor


def meeting_list(request: HttpRequest) -> HttpResponse:
    meetings = Meeting.objects.select_related("host").order_by("-date", "body")
    return render(request, "governance/meeting_list.html", {"meetings": meetings})


def _published_or_staff(request: HttpRequest, meeting: Meeting) -> None:
    """Only published minutes are public; the secretariat and the EXCOM read drafts."""
    actor = actor_of(request)
    if meeting.status != "published" and not (actor and actor.has_perm("governance.view_register")):
        raise PermissionDenied(f"The minutes of {meeting} are not published yet.")


def meeting_detail(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = get_object_or_404(Meeting, slug=slug)
    return render(
        request,
        "governance/meeting_detail.html",
        {"meeting": meeting, "items": queries.agenda(meeting)},
    )


def offices(request: HttpRequest) -> HttpResponse:
    """Who held what on a date (today by default)."""
    on = _on(request)
    return render(request, "governance/offices.html", {"on": on, "terms": queries.terms_on(on)})


def statutes(request: HttpRequest) -> HttpResponse:
    on = _on(request)
    rows = queries.articles_with_text(on)
    return render(request, "governance/statutes.html", {"on": on, "rows": rows})


def memorandum(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = get_object_or_404(Meeting, slug=slug)
    _published_or_staff(request, meeting)
    return render(request, "governance/memorandum.html", {"memo": queries.memorandum(meeting)})


def memorandum_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = get_object_or_404(Meeting, slug=slug)
    _published_or_staff(request, meeting)
    pdf = render_pdf("governance/memorandum_pdf.html", {"memo": queries.memorandum(meeting)})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="memorandum-{meeting.slug}.pdf"'
    return response


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
        "voting_methods": [Method.ROLL_CALL, Method.SHOW_OF_HANDS, Method.SECRET_BALLOT],
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
                actor=_actor(request), delegate=delegate, mode=request.POST.get("mode") or None
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
    org = get_object_or_404(Organisation, pk=_id(request.POST.get("organisation")))
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
            ids = [_id(value) for value in request.POST.getlist("selected")]
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


# --- The meeting workspace: prepare, convene, run, conclude, minute ------------------------


@actor_required(RUN)
def workspace(request: HttpRequest, slug: str) -> HttpResponse:
    """The staff workspace of one meeting: its lifecycle, agenda, candidates and errata."""
    meeting = get_object_or_404(Meeting.objects.select_related("host"), slug=slug)
    items = queries.agenda(meeting)
    context = {
        "meeting": meeting,
        "items": items,
        "decided": [i for i in items if getattr(i, "decision", None)],
        "undecided": [i for i in items if not getattr(i, "decision", None)],
        "meeting_form": MeetingForm(instance=meeting),
        "item_form": AgendaItemForm(initial={"number": queries.next_item_number(meeting)}),
        "convene_form": ConveneForm(initial={"convocation_date": meeting.convocation_date}),
        "erratum_form": ErratumForm(),
        "candidate_form": CandidateForm(),
        "organisations": queries.organisation_choices(),
        "approving_items": queries.approving_items(meeting),
        "errata": meeting.errata.order_by("on", "id"),
    }
    return render(request, "governance/workspace.html", context)


@actor_required(RUN)
def meeting_new(request: HttpRequest) -> HttpResponse:
    """A new meeting (draft): its header; the agenda follows in its workspace."""
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        slug = data.pop("slug")
        try:
            domain.meeting_save(actor=_actor(request), slug=slug, **data)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, f"Meeting '{data['title']}' created as a draft.")
            return redirect("governance:workspace", slug=slug)
    return render(request, "governance/meeting_form.html", {"form": form})


def _act(request: HttpRequest, slug: str, done: str, call: Callable[[], object]) -> HttpResponse:
    """Run one domain write for the workspace and say how it went."""
    try:
        call()
        messages.success(request, done)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("governance:workspace", slug=slug)


@require_POST
@actor_required(RUN)
def meeting_edit(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = get_object_or_404(Meeting, slug=slug)
    form = MeetingForm(request.POST, instance=Meeting.objects.get(pk=meeting.pk))
    if not form.is_valid():
        messages.error(request, error_text(ValidationError(form.errors.as_data())))
        return redirect("governance:workspace", slug=slug)
    data = dict(form.cleaned_data)
    data.pop("slug")
    return _act(
        request,
        slug,
        "Meeting saved.",
        lambda: domain.meeting_save(actor=_actor(request), slug=slug, **data),
    )


@require_POST
@actor_required(RUN)
def lifecycle(request: HttpRequest, slug: str, step: str) -> HttpResponse:
    """One step of the lifecycle (the page asks for confirmation before it posts)."""
    meeting = get_object_or_404(Meeting, slug=slug)
    user = _actor(request)
    if step == "convene":
        form = ConveneForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Give the convocation date and the notice.")
            return redirect("governance:workspace", slug=slug)
        return _act(
            request,
            slug,
            "Convened: the electorate is fixed.",
            lambda: domain.meeting_convene(actor=user, meeting=meeting, **form.cleaned_data),
        )
    if step == "approve":
        item = get_object_or_404(AgendaItem, pk=_id(request.POST.get("approved_by")))
        return _act(
            request,
            slug,
            "Minutes approved.",
            lambda: domain.minutes_approve(actor=user, meeting=meeting, approved_by=item),
        )
    steps = {
        "open": (domain.meeting_open, "The meeting is in session."),
        "conclude": (domain.meeting_conclude, "Concluded: the record is now read-only."),
        "publish": (domain.minutes_publish, "Minutes published."),
    }
    if step not in steps:
        raise Http404(f"Unknown step '{step}'.")
    function, done = steps[step]
    return _act(request, slug, done, lambda: function(actor=user, meeting=meeting))


@require_POST
@actor_required(RUN)
def item_save(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = get_object_or_404(Meeting, slug=slug)
    existing = AgendaItem.objects.filter(
        meeting=meeting, number=_id(request.POST.get("number"))
    ).first()
    form = AgendaItemForm(request.POST, instance=existing or AgendaItem(meeting=meeting))
    if not form.is_valid():
        messages.error(request, error_text(ValidationError(form.errors.as_data())))
        return redirect("governance:workspace", slug=slug)
    data = dict(form.cleaned_data)
    number = data.pop("number")
    return _act(
        request,
        slug,
        f"Agenda {number} saved.",
        lambda: domain.agenda_item_save(
            actor=_actor(request), meeting=meeting, number=number, **data
        ),
    )


@require_POST
@actor_required(RUN)
def item_delete(request: HttpRequest, slug: str, item_id: int) -> HttpResponse:
    item = get_object_or_404(AgendaItem, pk=item_id, meeting__slug=slug)
    return _act(
        request,
        slug,
        f"Agenda {item.number} removed.",
        lambda: domain.agenda_item_delete(actor=_actor(request), item=item),
    )


@require_POST
@actor_required(RUN)
def candidate_add(request: HttpRequest, slug: str, item_id: int) -> HttpResponse:
    item = get_object_or_404(AgendaItem, pk=item_id, meeting__slug=slug)
    form = CandidateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose the organisation of the candidate, nominee or bid.")
        return redirect("governance:workspace", slug=slug)
    data = dict(form.cleaned_data)
    org = get_object_or_404(Organisation, pk=data.pop("organisation"))
    order = item.candidates.count() + 1
    return _act(
        request,
        slug,
        f"{org} is on the slate of agenda {item.number}.",
        lambda: domain.candidate_add(
            actor=_actor(request), agenda_item=item, organisation=org, order=order, **data
        ),
    )


@require_POST
@actor_required(RUN)
def candidate_remove(request: HttpRequest, slug: str, candidate_id: int) -> HttpResponse:
    candidate = get_object_or_404(
        Candidate.objects.select_related("agenda_item__meeting"),
        pk=candidate_id,
        agenda_item__meeting__slug=slug,
    )
    return _act(
        request,
        slug,
        "Candidate removed.",
        lambda: domain.candidate_remove(actor=_actor(request), candidate=candidate),
    )


@require_POST
@actor_required(RUN)
def erratum_add(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = get_object_or_404(Meeting, slug=slug)
    form = ErratumForm(request.POST)
    if not form.is_valid():
        messages.error(request, "An erratum needs its date, subject, correction and reason.")
        return redirect("governance:workspace", slug=slug)
    return _act(
        request,
        slug,
        "Erratum recorded.",
        lambda: domain.erratum_record(actor=_actor(request), meeting=meeting, **form.cleaned_data),
    )
