"""The chair's console: open a poll on an agenda item, watch the turnout (who has voted, not
what), close it, open a run-off round, read the result; the projector screen; the heads of
delegation's ballot links; the meeting's proxy mandates (record, revoke).

The console is for those who run the meeting (`governance.run_meeting`); the projector
shows what the room sees (no running tally, and a secret ballot's totals only after the
close), so it is public.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from urbis.common.actor import actor_required
from urbis.common.inputs import (
    InputError,
    error_text,
    optional,
    parse_choice,
    parse_date,
    parse_id,
    parse_int,
    parse_text,
)
from urbis.governance import domain, queries, rules
from urbis.governance.domain.ballot_links import ballot_link_hand_over, ballot_links_send
from urbis.governance.models import AgendaItem, Delegate, Meeting, Poll, Proxy
from urbis.governance.models.polls import PollKind, PollMethod
from urbis.members.models import Organisation

RUN = "governance.run_meeting"
MAX_OPTIONS = 60


def _meeting(request: HttpRequest, slug: str) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("host"), slug=slug)


def closed_polls(meeting: Meeting) -> list[tuple[Poll, Any]]:
    """The meeting's closed polls with their results, in the order they were held."""
    polls = (
        Poll.objects.filter(meeting=meeting, state="closed")
        .select_related("agenda_item", "previous")
        .order_by("agenda_item__number", "round", "opened_at", "pk")
    )
    return [(p, queries.poll_result(p)) for p in polls]


def _turnout_context(meeting: Meeting) -> dict[str, Any]:
    poll = queries.poll_open_for_meeting(meeting)
    return {
        "meeting": meeting,
        "poll": poll,
        "turnout": queries.poll_turnout(poll) if poll else None,
    }


@actor_required(RUN)
def console(request: HttpRequest, slug: str) -> HttpResponse:
    meeting = _meeting(request, slug)
    context = {
        **_turnout_context(meeting),
        "quorum": queries.quorum_for(meeting),
        "items": queries.agenda(meeting),
        "kinds": PollKind.choices,
        "methods": PollMethod.choices,
        "closed": closed_polls(meeting),
        "heads": Delegate.objects.filter(meeting=meeting, role=Delegate.Role.HEAD)
        .select_related("organisation")
        .order_by("organisation__name"),
    }
    return render(request, "governance/console/console.html", context)


@actor_required(RUN)
def console_turnout(request: HttpRequest, slug: str) -> HttpResponse:
    """The live turnout of the open poll (polled by the console every two seconds)."""
    meeting = _meeting(request, slug)
    return render(request, "governance/console/_turnout.html", _turnout_context(meeting))


def _done(request: HttpRequest, slug: str, call: Any, done: Any) -> HttpResponse:
    try:
        outcome = call()
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done(outcome))
    return redirect("governance:console", slug=slug)


def _options(request: HttpRequest, item: AgendaItem) -> list[int] | None:
    """The candidates or bids ticked for this item (none ticked: the item's whole slate)."""
    values = request.POST.getlist(f"options-{item.pk}")
    if len(values) > MAX_OPTIONS:
        raise InputError("options", f"at most {MAX_OPTIONS} candidates or bids.")
    ids = [parse_id(v, field="options") for v in values if v.strip()]
    return ids or None


@require_POST
@actor_required(RUN)
def poll_open(request: HttpRequest, slug: str) -> HttpResponse:
    """Open a poll on an agenda item; for an election or a selection the options are the
    candidates or bids ticked on the item's slate (none ticked: the whole slate)."""
    meeting = _meeting(request, slug)
    post = request.POST

    def call() -> Poll:
        item_id = parse_id(post.get("item", ""), field="item")
        item = AgendaItem.objects.filter(pk=item_id, meeting=meeting).first()
        if item is None:
            raise InputError("item", "Choose an agenda item of this meeting.")
        kind = parse_choice(post.get("kind", ""), field="kind", choices=PollKind.values)
        method = parse_choice(post.get("method", ""), field="method", choices=PollMethod.values)
        seats = optional(parse_int, post.get("seats", ""), field="seats", min=1, max=200) or 1
        poll: Poll = domain.poll_open(
            item=item,
            kind=kind,
            method=method,
            seats=seats,
            options=None if kind == PollKind.MOTION else _options(request, item),
            actor=request.actor,  # type: ignore[attr-defined]
        )
        return poll

    return _done(
        request,
        slug,
        call,
        lambda poll: f"Poll opened on agenda {poll.agenda_item.number}: delegates can vote now.",
    )


def _poll(request: HttpRequest, meeting: Meeting) -> Poll:
    poll_id = parse_id(request.POST.get("poll", ""), field="poll")
    poll = Poll.objects.filter(pk=poll_id, meeting=meeting).select_related("agenda_item").first()
    if poll is None:
        raise InputError("poll", "This poll is not one of this meeting's.")
    return poll


@require_POST
@actor_required(RUN)
def poll_close(request: HttpRequest, slug: str) -> HttpResponse:
    """Close the open poll (the console asks for confirmation first) and count it."""
    meeting = _meeting(request, slug)

    def call() -> tuple[Poll, Any]:
        poll = _poll(request, meeting)
        return poll, domain.poll_close(poll=poll, actor=request.actor)  # type: ignore[attr-defined]

    def done(closed: tuple[Poll, Any]) -> str:
        poll, result = closed
        return f"Poll on agenda {poll.agenda_item.number} closed: {result.arithmetic}"

    return _done(request, slug, call, done)


@require_POST
@actor_required(RUN)
def poll_runoff(request: HttpRequest, slug: str) -> HttpResponse:
    """Open the next round of a closed election (a run-off between the leading candidates)."""
    meeting = _meeting(request, slug)

    def call() -> Poll:
        poll = _poll(request, meeting)
        runoff: Poll = domain.poll_runoff_open(poll=poll, actor=request.actor)  # type: ignore[attr-defined]
        return runoff

    return _done(
        request,
        slug,
        call,
        lambda poll: f"Round {poll.round} opened on agenda {poll.agenda_item.number}.",
    )


@require_POST
@actor_required(RUN)
def links_send(request: HttpRequest, slug: str) -> HttpResponse:
    """Queue every head of delegation's personal ballot link (where an address is known)."""
    meeting = _meeting(request, slug)
    sent = ballot_links_send(meeting=meeting, actor=request.user)
    text = f"{sent.queued} ballot link{'s' if sent.queued != 1 else ''} queued for sending."
    if sent.without_address:
        names = ", ".join(d.organisation.name for d in sent.without_address)
        text += (
            f" No address is known for the head of delegation of {names}: hand their links over."
        )
    messages.success(request, text)
    return redirect("governance:console", slug=slug)


@require_POST
@actor_required(RUN)
def link_hand_over(request: HttpRequest, slug: str) -> HttpResponse:
    """Show one head of delegation's link, to be handed over (shown once, audited)."""
    meeting = _meeting(request, slug)
    try:
        delegate_id = parse_id(request.POST.get("delegate", ""), field="delegate")
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("governance:console", slug=slug)
    delegate = get_object_or_404(
        Delegate.objects.select_related("organisation", "meeting"),
        pk=delegate_id,
        meeting=meeting,
        role=Delegate.Role.HEAD,
    )
    url = ballot_link_hand_over(delegate=delegate, actor=request.user)
    context = {"meeting": meeting, "delegate": delegate, "url": url}
    return render(request, "governance/console/link.html", context)


def projector(request: HttpRequest, slug: str) -> HttpResponse:
    """The screen in the room: the open poll and its turnout, then the result (large type)."""
    meeting = _meeting(request, slug)
    context = _turnout_context(meeting)
    if context["poll"] is None:
        last = (
            Poll.objects.filter(meeting=meeting, state="closed")
            .select_related("agenda_item")
            .order_by("-closed_at", "-pk")
            .first()
        )
        context["last"] = last
        context["result"] = queries.poll_result(last) if last else None
    partial = getattr(request, "htmx", False)
    template = f"governance/console/{'_projector' if partial else 'projector'}.html"
    return render(request, template, context)


@actor_required(RUN)
def proxies(request: HttpRequest, slug: str) -> HttpResponse:
    """The meeting's proxy mandates: record one, revoke one before a poll it would be used
    in (the statutes in force say whether proxies are allowed, and the cap per holder)."""
    meeting = _meeting(request, slug)
    try:
        voting = queries.voting_rule_on(meeting.date, meeting.body)
    except rules.GovernanceError:  # no statute rule on decisions in force on that date
        voting = None
    mandates = (
        Proxy.objects.filter(meeting=meeting)
        .select_related("grantor", "holder")
        .order_by("grantor__name", "pk")
    )
    voters = (
        queries.quorum_members(meeting, queries.quorum_rule_on(meeting.date, meeting.body))
        .order_by("name")
        .only("pk", "name")
        if voting is not None and voting.proxies_allowed
        else []
    )
    context = {
        "meeting": meeting,
        "voting": voting,
        "mandates": mandates,
        "voters": voters,
        "closed": meeting.status in rules.CLOSED_STATUSES,
    }
    return render(request, "governance/console/proxies.html", context)


def _proxies_done(request: HttpRequest, slug: str, call: Any, done: Any) -> HttpResponse:
    try:
        outcome = call()
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    except rules.GovernanceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done(outcome))
    return redirect("governance:proxies", slug=slug)


@require_POST
@actor_required(RUN)
def proxy_grant(request: HttpRequest, slug: str) -> HttpResponse:
    """Record a dated mandate (only where the statutes allow proxies)."""
    meeting = _meeting(request, slug)
    post = request.POST

    def call() -> Proxy:
        grantor = get_object_or_404(
            Organisation, pk=parse_id(post.get("grantor", ""), field="grantor")
        )
        holder = get_object_or_404(
            Organisation, pk=parse_id(post.get("holder", ""), field="holder")
        )
        proxy: Proxy = domain.proxy_grant(
            meeting=meeting,
            grantor=grantor,
            holder=holder,
            granted_on=parse_date(post.get("granted_on", ""), field="granted_on"),
            reference=optional(
                parse_text, post.get("reference", ""), field="reference", max_length=200
            )
            or "",
            actor=request.actor,  # type: ignore[attr-defined]
        )
        return proxy

    return _proxies_done(request, slug, call, lambda p: f"Recorded: {p}.")


@require_POST
@actor_required(RUN)
def proxy_revoke(request: HttpRequest, slug: str, proxy_id: int) -> HttpResponse:
    """Revoke a mandate (the page asks for confirmation first)."""
    meeting = _meeting(request, slug)
    proxy = get_object_or_404(
        Proxy.objects.select_related("grantor", "holder"), pk=proxy_id, meeting=meeting
    )

    def call() -> str:
        text = str(proxy)
        domain.proxy_revoke(proxy=proxy, actor=request.actor)  # type: ignore[attr-defined]
        return text

    return _proxies_done(
        request, slug, call, lambda text: f"Revoked: {text} no longer at {meeting.title}."
    )
