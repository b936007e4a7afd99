"""REST endpoints of polls: the chair opens, closes and runs off polls; members vote; anyone
reads the turnout (who voted, never what) and, once a secret poll is closed, its result.

Refusals in the one error format: someone the statutes do not let vote is a 403, a second
vote or a vote on a closed poll a 409, a closed secret poll's result asked too early a 409,
marks that do not fit the poll a 422 naming `option_ids`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Path, Router, Schema, Status
from ninja.errors import HttpError

from urbis.common.actor import ACTOR_AUTH, permission_required
from urbis.common.errors import ERROR_RESPONSES
from urbis.common.inputs import MAX_ID
from urbis.governance import domain, queries
from urbis.governance.models import AgendaItem, Meeting, Poll, Proxy
from urbis.members.models import Organisation

router = Router(tags=["governance: polls"])

_ID = Path(..., ge=1, le=MAX_ID)


def _item(request: Any, item_id: int) -> AgendaItem:
    return get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=item_id)


def _poll(request: Any, poll_id: int) -> Poll:
    return get_object_or_404(Poll.objects.select_related("meeting", "agenda_item"), pk=poll_id)


def _meeting(request: Any, slug: str) -> Meeting:
    return get_object_or_404(Meeting, slug=slug)


class PollIn(Schema):
    kind: str
    method: str
    seats: int = 1
    options: list[int] | None = None  # candidate ids (elections, selections); none: the slate


class OptionOut(Schema):
    id: int
    label: str
    position: int
    choice: str
    candidate_id: int | None


class PollOut(Schema):
    id: int
    meeting: str
    agenda_item_id: int
    kind: str
    method: str
    seats: int
    round: int
    previous_id: int | None
    state: str
    majority: str
    article: str
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    options: list[OptionOut]


def _poll_out(poll: Poll) -> dict[str, Any]:
    return {
        "id": poll.pk,
        "meeting": poll.meeting.slug,
        "agenda_item_id": poll.agenda_item_id,
        "kind": poll.kind,
        "method": poll.method,
        "seats": poll.seats,
        "round": poll.round,
        "previous_id": poll.previous_id,
        "state": poll.state,
        "majority": poll.majority,
        "article": poll.article,
        "opened_at": poll.opened_at,
        "closed_at": poll.closed_at,
        "options": [
            {
                "id": o.pk,
                "label": o.label,
                "position": o.position,
                "choice": o.choice,
                "candidate_id": o.candidate_id,
            }
            for o in poll.options.order_by("position")
        ],
    }


class PollVoteIn(Schema):
    organisation_id: int
    option_ids: list[int]
    proxy_holder_id: int | None = None


class ReceiptOut(Schema):
    recorded: bool
    poll_id: int
    organisation_id: int
    organisation: str
    recorded_at: dt.datetime
    receipt: str
    proxy_holder: str


class VoterOut(Schema):
    organisation_id: int
    name: str
    recorded_at: dt.datetime
    proxy_holder: str


class TurnoutOut(Schema):
    poll_id: int
    state: str
    eligible: int
    voted: int
    voters: list[VoterOut]


class OptionResultOut(Schema):
    option_id: int
    label: str
    position: int
    choice: str
    candidate_id: int | None
    organisation_id: int | None
    votes: int
    elected: bool


class PollResultOut(Schema):
    poll_id: int
    agenda_item_id: int
    kind: str
    method: str
    round: int
    seats: int
    state: str
    final: bool
    outcome: str
    majority: str
    majority_text: str
    article: str
    arithmetic: str
    ballots_cast: int
    members_present: int | None
    members_eligible: int | None
    options: list[OptionResultOut]
    previous_id: int | None
    next_round_id: int | None
    decision_id: int | None


@router.get("/items/{item_id}/polls", response=list[PollOut])
def poll_list(request, item_id: int = _ID):  # type: ignore[no-untyped-def]
    """Every round of voting on an item, first round first."""
    get_object_or_404(AgendaItem, pk=item_id)
    return [_poll_out(p) for p in queries.polls_for_item(item_id)]


@router.post(
    "/items/{item_id}/polls",
    response={201: PollOut, **ERROR_RESPONSES(403, 404, 409, 422)},
    auth=ACTOR_AUTH,
)
@permission_required("governance.run_meeting")
def poll_open(request, payload: PollIn, item_id: int = _ID):  # type: ignore[no-untyped-def]
    """The chair opens a poll on an item (one open poll per meeting)."""
    item = _item(request, item_id)
    poll = domain.poll_open(
        item=item,
        kind=payload.kind,
        method=payload.method,
        seats=payload.seats,
        options=payload.options,
        actor=request.actor,
    )
    return Status(201, _poll_out(poll))


@router.get("/polls/{poll_id}", response=PollOut)
def poll_detail(request, poll_id: int = _ID):  # type: ignore[no-untyped-def]
    return _poll_out(_poll(request, poll_id))


def _vote_parties(
    request: Any, poll_id: int, payload: PollVoteIn
) -> tuple[Poll, Organisation, Organisation | None]:
    """The poll, the member and the proxy holder of a vote, read once per request (the
    permission check and the handler both need them)."""
    cached = getattr(request, "_vote_parties", None)
    if cached is None:
        poll = _poll(request, poll_id)
        ids = {payload.organisation_id, payload.proxy_holder_id or payload.organisation_id}
        found = Organisation.objects.in_bulk(ids)
        if payload.organisation_id not in found or (
            payload.proxy_holder_id and payload.proxy_holder_id not in found
        ):
            raise Http404("No Organisation matches the given query.")
        holder = found[payload.proxy_holder_id] if payload.proxy_holder_id else None
        cached = (poll, found[payload.organisation_id], holder)
        request._vote_parties = cached
    return cached


def _voter(request: Any, poll_id: int, payload: PollVoteIn) -> Organisation:
    """The member whose rule is checked: the proxy holder when one carries the vote."""
    _, organisation, holder = _vote_parties(request, poll_id, payload)
    return holder or organisation


@router.post(
    "/polls/{poll_id}/votes",
    response={201: ReceiptOut, **ERROR_RESPONSES(403, 404, 409, 422)},
    auth=ACTOR_AUTH,
)
@permission_required("governance.cast_vote", obj=_voter)
def poll_vote(request, payload: PollVoteIn, poll_id: int = _ID):  # type: ignore[no-untyped-def]
    """A member votes (its focal point, or the secretariat recording a roll call); on a
    proxy, the holder's focal point casts the grantor's vote."""
    poll, organisation, holder = _vote_parties(request, poll_id, payload)
    receipt = domain.poll_vote_cast(
        poll=poll,
        organisation=organisation,
        option_ids=payload.option_ids,
        actor=request.actor,
        proxy_holder=holder,
    )
    return Status(
        201,
        {
            "recorded": True,
            "poll_id": receipt.poll_id,
            "organisation_id": receipt.organisation_id,
            "organisation": receipt.organisation_name,
            "recorded_at": receipt.recorded_at,
            "receipt": receipt.receipt,
            "proxy_holder": receipt.proxy_holder,
        },
    )


@router.post(
    "/polls/{poll_id}/close",
    response={200: PollResultOut, **ERROR_RESPONSES(403, 404, 409, 422)},
    auth=ACTOR_AUTH,
)
@permission_required("governance.run_meeting")
def poll_close(request, poll_id: int = _ID):  # type: ignore[no-untyped-def]
    """The chair closes the poll: it is counted, and a final outcome decides the item."""
    return domain.poll_close(poll=_poll(request, poll_id), actor=request.actor)


@router.post(
    "/polls/{poll_id}/runoff",
    response={201: PollOut, **ERROR_RESPONSES(403, 404, 409, 422)},
    auth=ACTOR_AUTH,
)
@permission_required("governance.run_meeting")
def poll_runoff(request, poll_id: int = _ID):  # type: ignore[no-untyped-def]
    """Open the next round of an election or selection that left a seat open."""
    poll = domain.poll_runoff_open(poll=_poll(request, poll_id), actor=request.actor)
    return Status(201, _poll_out(poll))


@router.get("/polls/{poll_id}/turnout", response=TurnoutOut)
def poll_turnout(request, poll_id: int = _ID):  # type: ignore[no-untyped-def]
    """Who may vote and who has voted (never what)."""
    return queries.poll_turnout(_poll(request, poll_id))


@router.get("/polls/{poll_id}/result", response={200: PollResultOut, **ERROR_RESPONSES(404, 409)})
def poll_result(request, poll_id: int = _ID):  # type: ignore[no-untyped-def]
    """The count: running totals of an open show of hands or roll call; of a secret ballot
    nothing until it is closed (409), then the totals only."""
    result = queries.poll_result(_poll(request, poll_id))
    if result is None:
        raise HttpError(409, "A secret ballot is counted when the chair closes it.")
    return result


class ProxyIn(Schema):
    grantor_id: int
    holder_id: int
    granted_on: dt.date
    reference: str = ""


class ProxyOut(Schema):
    id: int
    grantor_id: int
    grantor: str
    holder_id: int
    holder: str
    granted_on: dt.date
    reference: str


def _proxy_out(p: Proxy) -> dict[str, Any]:
    return {
        "id": p.pk,
        "grantor_id": p.grantor_id,
        "grantor": p.grantor.name,
        "holder_id": p.holder_id,
        "holder": p.holder.name,
        "granted_on": p.granted_on,
        "reference": p.reference,
    }


@router.get("/meetings/{slug}/proxies", response=list[ProxyOut], auth=ACTOR_AUTH)
@permission_required("governance.view_register")
def proxy_list(request, slug: str):  # type: ignore[no-untyped-def]
    meeting = _meeting(request, slug)
    return [
        _proxy_out(p)
        for p in Proxy.objects.filter(meeting=meeting).select_related("grantor", "holder")
    ]


@router.post(
    "/meetings/{slug}/proxies",
    response={201: ProxyOut, **ERROR_RESPONSES(403, 404, 409, 422)},
    auth=ACTOR_AUTH,
)
@permission_required("governance.run_meeting")
def proxy_grant(request, slug: str, payload: ProxyIn):  # type: ignore[no-untyped-def]
    """Record a dated proxy mandate (only where the statutes allow proxies)."""
    meeting = _meeting(request, slug)
    grantor = get_object_or_404(Organisation, pk=payload.grantor_id)
    holder = get_object_or_404(Organisation, pk=payload.holder_id)
    proxy = domain.proxy_grant(
        meeting=meeting,
        grantor=grantor,
        holder=holder,
        granted_on=payload.granted_on,
        reference=payload.reference,
        actor=request.actor,
    )
    return Status(201, _proxy_out(proxy))


def _proxy(request: Any, slug: str, proxy_id: int) -> Proxy:
    return get_object_or_404(
        Proxy.objects.select_related("grantor", "holder"), pk=proxy_id, meeting__slug=slug
    )


@router.delete(
    "/meetings/{slug}/proxies/{proxy_id}",
    response={204: None, **ERROR_RESPONSES(403, 404, 409, 422)},
    auth=ACTOR_AUTH,
)
@permission_required("governance.run_meeting")
def proxy_delete(request, slug: str, proxy_id: int = _ID):  # type: ignore[no-untyped-def]
    """Revoke a mandate (as POST …/revoke): 409 once a vote was cast under it in the open
    poll, or when the meeting is concluded."""
    domain.proxy_revoke(proxy=_proxy(request, slug, proxy_id), actor=request.actor)
    return Status(204, None)


@router.post(
    "/meetings/{slug}/proxies/{proxy_id}/revoke",
    response={200: ProxyOut, **ERROR_RESPONSES(403, 404, 409, 422)},
    auth=ACTOR_AUTH,
)
@permission_required("governance.run_meeting")
def proxy_revoke(request, slug: str, proxy_id: int = _ID):  # type: ignore[no-untyped-def]
    """Revoke a mandate before a poll it would be used in; answers the mandate revoked."""
    proxy = _proxy(request, slug, proxy_id)
    out = _proxy_out(proxy)
    domain.proxy_revoke(proxy=proxy, actor=request.actor)
    return out
