"""The secretariat's workspace before and after a meeting: the meeting itself, its agenda
items and candidates, the lifecycle steps and the errata of a concluded record. Each write
goes through `_act`, which turns a refusal into a message on the workspace.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from urbis.common.actor import actor_required
from urbis.common.inputs import error_text, or_default, parse_id
from urbis.governance import domain, queries
from urbis.governance.forms import (
    AgendaItemForm,
    CandidateForm,
    ConveneForm,
    ErratumForm,
    MeetingForm,
)
from urbis.governance.models import AgendaItem, Candidate, Meeting
from urbis.governance.views.base import RUN, _actor
from urbis.members.models import Organisation


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
        item = get_object_or_404(
            AgendaItem,
            pk=or_default(parse_id, request.POST.get("approved_by"), 0, field="approved_by"),
        )
        return _act(
            request,
            slug,
            "Minutes approved.",
            lambda: domain.minutes_approve(actor=user, meeting=meeting, approved_by=item),
        )
    steps = {
        "open": (domain.meeting_open, "The meeting is in session."),
        "conclude": (
            domain.meeting_conclude,
            "Concluded: the record is now read-only.",
        ),
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
        meeting=meeting, number=or_default(parse_id, request.POST.get("number"), 0, field="number")
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
            actor=_actor(request),
            agenda_item=item,
            organisation=org,
            order=order,
            **data,
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
