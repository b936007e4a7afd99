"""The web ballot: a delegate of a present member votes on the meeting's open poll, from a
phone on site or from anywhere online.

Two ways in: signed in as a focal point (who votes for its own member only), or through a
head of delegation's personal, single-meeting link (`ballot_links`; its views are in
`views_ballot_link`). The ballot panel asks for itself every two seconds and is answered
204 while nothing it shows has changed, so a delegate's half-marked ballot stays as it is
until the chair opens or closes a poll.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from urbis.common.actor import Actor
from urbis.common.inputs import InputError, parse_id
from urbis.governance import domain, queries
from urbis.governance.domain.polls.links import CLOSED
from urbis.governance.models import (
    Delegate,
    Meeting,
    Poll,
    PollParticipation,
    Proxy,
)
from urbis.members.models import Organisation

POLL_EVERY = "2s"


@dataclass(frozen=True)
class Voter:
    """Who a ballot page votes for, and how it came in."""

    organisation: Organisation
    delegate: Delegate | None = None  # the head of delegation of a ballot link
    token: str = ""


def _own_organisations(request: HttpRequest) -> list[Organisation]:
    """The members whose focal point the signed-in user is (a focal point votes for its own
    member only)."""
    return list(
        Organisation.objects.filter(
            contacts__user_id=int(request.user.pk or 0), contacts__is_focal_point=True
        ).distinct()
    )


@dataclass(frozen=True)
class Ballot:
    """One ballot on the open poll: the voter's own member's, or one it carries by proxy."""

    organisation: Organisation
    by_proxy: bool
    participation: PollParticipation | None
    refusal: str | None


def _grantors(meeting: Meeting, holder: Organisation) -> list[Organisation]:
    """The members whose dated proxy for this meeting `holder` carries (none unless the
    statutes allow proxies: `vote_eligibility` says so on each ballot)."""
    ids = list(
        Proxy.objects.filter(meeting_id=meeting.pk, holder_id=holder.pk)
        .order_by()
        .values_list("grantor_id", flat=True)
    )  # most members hold none: one plain query, no second
    return list(Organisation.objects.filter(pk__in=ids).order_by("name")) if ids else []


def _ballots(
    meeting: Meeting,
    poll: Poll | None,
    voter: Voter,
    *,
    refusals: bool = True,
    recorded: PollParticipation | None = None,
) -> list[Ballot]:
    """The voter's ballots on the open poll, each with its record or, with `refusals`, the
    reason it cannot be cast (the panel's poll for changes needs only the records).
    `recorded`: the participation a vote just wrote, known without reading it again."""
    if poll is None:
        return []
    members = [(voter.organisation, False)]
    members += [(g, True) for g in _grantors(meeting, voter.organisation)]
    voted = {recorded.organisation_id: recorded} if recorded is not None else {}
    if any(m.pk not in voted for m, _ in members):
        voted |= {
            p.organisation_id: p
            for p in PollParticipation.objects.filter(
                poll=poll, organisation__in=[m for m, _ in members]
            ).order_by()  # (the model's order joins the members' names)
        }
    ballots = []
    for org, by_proxy in members:
        done = voted.get(org.pk)
        refusal = None
        if done is None and refusals:
            refusal = queries.vote_eligibility(
                meeting=meeting,
                organisation=org,
                proxy_holder=voter.organisation if by_proxy else None,
            )
        ballots.append(Ballot(org, by_proxy, done, refusal))
    return ballots


def _version(meeting: Meeting, poll: Poll | None, ballots: list[Ballot]) -> str:
    """What the panel shows, in a word: it changes when the chair opens or closes a poll,
    when the meeting moves on, and when a ballot of this voter is recorded."""
    voted = "".join("1" if b.participation else "0" for b in ballots)
    return _version_of(meeting.status, poll.pk if poll else 0, poll.state if poll else "-", voted)


def _version_of(status: str, poll_id: int, state: str, voted: str) -> str:
    return f"{status}.{poll_id}.{state}.{voted}"


def _panel_context(
    meeting: Meeting,
    voter: Voter,
    urls: dict[str, str],
    *,
    voted_in: Poll | None = None,
    recorded: PollParticipation | None = None,
    refused_in: str = "",
    **extra: Any,
) -> dict[str, Any]:
    """What the panel shows. `voted_in`, `recorded`: the poll a vote was just recorded in
    (with its agenda item) and its participation: the panel shows them without reading
    them again (if the chair has closed the poll since, the panel's next poll shows it).
    `refused_in`: the poll a vote of this voter was refused in as closed (the receipt's
    lean answer said so): said again while that poll is the last closed one."""
    poll = voted_in or queries.poll_open_for_meeting(meeting)
    last = None
    if poll is None:
        last = (
            Poll.objects.filter(meeting=meeting, state="closed")
            .select_related("agenda_item")
            .order_by("-closed_at", "-pk")
            .first()
        )
    if last is not None and refused_in == str(last.pk):
        extra.setdefault("error", CLOSED)
    ballots = _ballots(meeting, poll, voter, recorded=recorded)
    to_cast = any(b.participation is None for b in ballots)  # (no ballots without a poll)
    return {
        "meeting": meeting,
        "voter": voter,
        "poll": poll,
        "options": list(poll.options.order_by("position")) if poll and to_cast else [],
        "ballots": ballots,
        "last": last,
        "last_result": queries.poll_result(last) if last else None,
        "version": _version(meeting, poll, ballots),
        "urls": urls,
        "every": POLL_EVERY,
        **extra,
    }


def _render_panel(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    template = (
        "governance/ballot/_panel.html"
        if getattr(request, "htmx", False)
        else "governance/ballot/ballot.html"
    )
    return render(request, template, context)


def _cast(
    request: HttpRequest, meeting: Meeting, voter: Voter, actor: Any, urls: dict[str, str]
) -> HttpResponse:
    """Cast the ballot posted for `voter`: the receipt, or the refusal in words."""
    receipt = None
    error = ""
    poll = None
    try:
        poll_id = parse_id(request.POST.get("poll", ""), field="poll")
        poll = (
            Poll.objects.select_related("agenda_item")
            .filter(pk=poll_id, meeting=meeting)
            .order_by()  # (the model's order joins the meetings)
            .first()
        )
        if poll is None:
            raise InputError("poll", "This poll is not one of this meeting's.")
        poll.meeting = meeting  # the vote reads its status; no second query
        option_ids = [
            parse_id(v, field="option") for v in request.POST.getlist("option") if v.strip()
        ]
        organisation, holder = voter.organisation, None
        if request.POST.get("grantor"):  # a ballot the voter's member carries by proxy
            grantor_id = parse_id(request.POST.get("grantor"), field="grantor")
            grantor = next(
                (g for g in _grantors(meeting, voter.organisation) if g.pk == grantor_id), None
            )
            if grantor is None:
                raise InputError("grantor", f"{voter.organisation} holds no such proxy.")
            organisation, holder = grantor, voter.organisation
        receipt = domain.poll_vote_cast(
            poll=poll,
            organisation=organisation,
            option_ids=option_ids,
            actor=actor,
            proxy_holder=holder,
        )
    except ValidationError as exc:  # words for a delegate: the reason, not the field
        error = " ".join(exc.messages)
    except PermissionDenied as exc:  # not eligible: the statutes' reason
        error = str(exc)
    if receipt is None:
        context = _panel_context(meeting, voter, urls, error=error)
    else:
        recorded = PollParticipation(
            poll=poll,
            organisation_id=receipt.organisation_id,
            recorded_at=receipt.recorded_at,
            receipt=receipt.receipt,
        )
        context = _panel_context(
            meeting, voter, urls, voted_in=poll, recorded=recorded, receipt=receipt
        )
    return _render_panel(request, context)


# --- signed in: a focal point votes for its own member ------------------------------------


def _signed_in_voter(request: HttpRequest) -> Voter | None:
    own = _own_organisations(request)
    if not own:
        return None
    wanted = request.POST.get("organisation") or request.GET.get("organisation") or ""
    for org in own:
        if str(org.pk) == wanted:
            return Voter(org)
    return Voter(own[0])


def _urls(meeting: Meeting, voter: Voter | None) -> dict[str, str]:
    if voter is not None and voter.token:
        return {
            "panel": reverse("governance:ballot_link_panel", args=[voter.token]),
            "vote": reverse("governance:ballot_link_vote", args=[voter.token]),
        }
    suffix = f"?organisation={voter.organisation.pk}" if voter else ""
    return {
        "panel": reverse("governance:ballot_panel", args=[meeting.slug]) + suffix,
        "vote": reverse("governance:ballot_vote", args=[meeting.slug]),
    }


def _no_vote(meeting: Meeting) -> dict[str, Any]:
    return {"meeting": meeting, "voter": None, "every": POLL_EVERY}


def _signed_in(request: HttpRequest) -> HttpResponse | None:
    if not getattr(request.user, "is_authenticated", False):
        return redirect_to_login(request.get_full_path())
    return None


def ballot(request: HttpRequest, slug: str) -> HttpResponse:
    """The meeting's ballot page for a signed-in focal point of a member."""
    if (login := _signed_in(request)) is not None:
        return login
    meeting = get_object_or_404(Meeting, slug=slug)
    voter = _signed_in_voter(request)
    if voter is None:
        return render(request, "governance/ballot/ballot.html", _no_vote(meeting))
    context = _panel_context(meeting, voter, _urls(meeting, voter))
    context["choices"] = _own_organisations(request)
    return render(request, "governance/ballot/ballot.html", context)


def ballot_panel(request: HttpRequest, slug: str) -> HttpResponse:
    """The ballot panel, polled: 204 while nothing it shows has changed."""
    if (login := _signed_in(request)) is not None:
        return login
    meeting = get_object_or_404(Meeting, slug=slug)
    voter = _signed_in_voter(request)
    if voter is None:
        return HttpResponse(status=204)
    return _panel_or_204(request, meeting, voter)


@require_POST
def ballot_vote(request: HttpRequest, slug: str) -> HttpResponse:
    if (login := _signed_in(request)) is not None:
        return login
    meeting = get_object_or_404(Meeting, slug=slug)
    voter = _signed_in_voter(request)
    if voter is None:
        context = _no_vote(meeting)
        return render(request, "governance/ballot/ballot.html", context, status=403)
    return _cast(request, meeting, voter, Actor.for_user(request.user), _urls(meeting, voter))


def _panel_or_204(request: HttpRequest, meeting: Meeting, voter: Voter) -> HttpResponse:
    poll = queries.poll_open_for_meeting(meeting)
    if request.GET.get("v") == _version(
        meeting, poll, _ballots(meeting, poll, voter, refusals=False)
    ):
        return HttpResponse(status=204)
    refused_in = request.GET.get("closed", "")
    context = _panel_context(meeting, voter, _urls(meeting, voter), refused_in=refused_in)
    return render(request, "governance/ballot/_panel.html", context)
