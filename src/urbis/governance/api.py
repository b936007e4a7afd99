"""REST endpoints of governance: attendance check-in, votes, results, quorum state, offices.

Handlers parse, call one domain or query function, serialise; the caller is resolved and its
rule (`governance.permissions`) checked at the edge (`common.actor`). A refused input is the
API's error contract (`common.errors`): 422 naming the field, 409 for a write to a concluded
meeting's record (`MeetingClosedError` is a `Conflict`). Writes need a session
(CSRF applies) or a personal token; the check-in desk and the voting console may instead
sign with a desk key (`Authorization: Bearer …`, see `governance.desk`), which holds only
`governance.check_in` and `governance.cast_vote`, on its own meeting.
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.functional import SimpleLazyObject
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from urbis.common.actor import ACTOR_AUTH, Actor, actor_of, permission_required
from urbis.events.models import Event
from urbis.governance import domain, queries
from urbis.governance.api_accreditation import router as accreditation_router
from urbis.governance.api_ballot import router as ballot_router
from urbis.governance.api_meetings import router as meetings_router
from urbis.governance.api_polls import router as polls_router
from urbis.governance.models import AgendaItem, Delegate, Meeting
from urbis.members.models import Organisation

router = Router(tags=["governance"])


class QuorumOut(Schema):
    meeting: str
    present: int
    eligible: int
    required: int
    met: bool
    population: int


class RegisterCheckInIn(Schema):
    delegate_id: int
    mode: str = ""


class RegisterCheckInOut(Schema):
    delegate_id: int
    organisation_id: int
    mode: str
    at: dt.datetime
    created: bool


class VoteIn(Schema):
    organisation_id: int
    choice: str


class VoteOut(Schema):
    agenda_item: int
    organisation: str
    recorded: bool


class DecisionIn(Schema):
    outcome: str = ""
    selected: list[int] | None = None  # organisation ids elected/selected from the slate


class VoteResultOut(Schema):
    agenda_item: int
    number: int
    title: str
    method: str
    decided: bool
    result: str
    votes_for: int
    votes_against: int
    votes_abstain: int
    votes_cast: int
    quorum_present: int | None
    quorum_eligible: int | None
    quorum_required: int | None
    quorum_met: bool | None


class TermOut(Schema):
    office: str
    holder: str
    region: str
    start: dt.date
    end: dt.date | None
    basis: str


def _actor(request: HttpRequest) -> Actor:
    """The actor `ACTOR_AUTH` resolved (the operation refuses a request without one)."""
    actor = actor_of(request)
    assert actor is not None
    return actor


@router.get("/meetings/{slug}/quorum", response=QuorumOut)
def quorum(request: HttpRequest, slug: str) -> dict[str, object]:
    """The live quorum (Art. 16(2)): a constant number of queries whatever the attendance."""
    meeting = get_object_or_404(Meeting, slug=slug)
    q = queries.quorum_for(meeting)
    return {
        "meeting": meeting.slug,
        "present": q.present,
        "eligible": q.eligible,
        "required": q.required,
        "met": q.met,
        "population": q.population,
    }


def check_in_answer(actor: Actor, *, slug: str, payload: RegisterCheckInIn) -> dict[str, object]:
    """Check a delegate in for an actor allowed `governance.check_in` (a desk key, whose
    meeting the domain checks, or the secretariat); the answer of the endpoint, also served
    by `api_desk`."""
    try:
        row = domain.attendance_check_in_by_id(
            actor=actor,
            meeting_slug=slug,
            delegate_id=payload.delegate_id,
            mode=payload.mode or None,
        )
    except Delegate.DoesNotExist as exc:
        raise Http404("No such delegate at this meeting.") from exc
    return {
        "delegate_id": row.delegate_id,
        "organisation_id": row.organisation_id,
        "mode": row.mode,
        "at": row.at,
        "created": row.created,
    }


@router.post(
    "/meetings/{slug}/check-ins",
    response=RegisterCheckInOut,
    auth=ACTOR_AUTH,
    url_name="governance_check_in",
)
@permission_required("governance.check_in")
def check_in(request: HttpRequest, slug: str, payload: RegisterCheckInIn) -> dict[str, object]:
    """Check a delegate in. Signed with a desk key, this is one statement on PostgreSQL."""
    return check_in_answer(_actor(request), slug=slug, payload=payload)


class EventImportIn(Schema):
    event: str


class EventImportOut(Schema):
    members: int
    checked_in: int
    already: int
    delegates_accredited: int


@router.post("/meetings/{slug}/attendance/from-event", response=EventImportOut, auth=ACTOR_AUTH)
@permission_required("governance.run_meeting")
def attendance_from_event(
    request: HttpRequest, slug: str, payload: EventImportIn
) -> dict[str, object]:
    """Fill the register from the badge check-ins of an event on the meeting's day."""
    meeting = get_object_or_404(Meeting, slug=slug)
    event = get_object_or_404(Event, slug=payload.event)
    result = domain.attendance_import_from_event(
        actor=_actor(request), meeting=meeting, event=event
    )
    return {
        "members": result.members,
        "checked_in": result.checked_in,
        "already": result.already,
        "delegates_accredited": result.delegates_accredited,
    }


def vote_answer(actor: Actor, *, item_id: int, payload: VoteIn) -> dict[str, object]:
    """Record a member's vote for an actor who may (a desk key, or a session allowed to
    vote for the member); the answer of the endpoint, also served by `api_desk`."""
    try:
        cast = domain.vote_cast_by_id(
            actor=actor,
            agenda_item_id=item_id,
            organisation_id=payload.organisation_id,
            choice=payload.choice,
        )
    except (AgendaItem.DoesNotExist, Organisation.DoesNotExist) as exc:
        raise Http404("No such agenda item or member.") from exc
    return {
        "agenda_item": cast.agenda_item_id,
        "organisation": cast.organisation_name,
        "recorded": True,
    }


@router.post(
    "/items/{item_id}/votes",
    response=VoteOut,
    auth=ACTOR_AUTH,
    url_name="governance_vote",
)
def vote(request: HttpRequest, item_id: int, payload: VoteIn) -> dict[str, object]:
    """Record a member's vote: on PostgreSQL one statement after the session and the user.

    The rule `governance.cast_vote` gets the organisation as an object loaded on first use:
    the secretariat and a desk key pass without loading it; a focal point's check loads it
    and reads its contacts. Unknown item or member: 404 before 403, as before (which is why
    the rule is checked here rather than by `@permission_required`).
    """
    actor = _actor(request)
    org_id = payload.organisation_id
    org = SimpleLazyObject(lambda: Organisation.objects.get(pk=org_id))
    try:
        if not actor.has_perm("governance.cast_vote", org):
            AgendaItem.objects.only("pk").get(pk=item_id)  # an unknown item is a 404
            Organisation.objects.only("pk").get(pk=org_id)  # so is an unknown member
            actor.require("governance.cast_vote", org)
    except (AgendaItem.DoesNotExist, Organisation.DoesNotExist) as exc:
        raise Http404("No such agenda item or member.") from exc
    return vote_answer(actor, item_id=item_id, payload=payload)


def _result(item: AgendaItem) -> dict[str, object]:
    d = queries.decision_for(item)
    if d is None and item.method == "secret_ballot":
        # No running tally of a secret ballot: an observer would read each vote off the +1.
        raise HttpError(409, f"Agenda {item.number} is a secret ballot: counted when decided.")
    tally = queries.vote_counts(item)
    return {
        "agenda_item": item.pk,
        "number": item.number,
        "title": item.title,
        "method": item.method,
        "decided": d is not None,
        "result": d.result if d else "",
        "votes_for": tally.votes_for,
        "votes_against": tally.votes_against,
        "votes_abstain": tally.votes_abstain,
        "votes_cast": queries.votes_cast(item),
        "quorum_present": d.quorum_present if d else None,
        "quorum_eligible": d.quorum_eligible if d else None,
        "quorum_required": d.quorum_required if d else None,
        "quorum_met": d.quorum_met if d else None,
    }


@router.get("/items/{item_id}/result", response=VoteResultOut)
def result(request: HttpRequest, item_id: int) -> dict[str, object]:
    return _result(get_object_or_404(AgendaItem, pk=item_id))


@router.post("/items/{item_id}/decision", response=VoteResultOut, auth=ACTOR_AUTH)
@permission_required("governance.run_meeting")
def decide(request: HttpRequest, item_id: int, payload: DecisionIn) -> dict[str, object]:
    item = get_object_or_404(AgendaItem, pk=item_id)
    selected = (
        None
        if payload.selected is None
        else list(Organisation.objects.filter(pk__in=payload.selected))
    )
    domain.decision_record(
        actor=_actor(request), agenda_item=item, outcome=payload.outcome, selected=selected
    )
    return _result(item)


@router.get("/offices", response=list[TermOut])
def offices(request: HttpRequest, on: dt.date | None = None) -> list[dict[str, object]]:
    """Who held which office on a date (today by default)."""
    return [
        {
            "office": t.kind,
            "holder": t.organisation.name if t.organisation else t.person_name,
            "region": t.region,
            "start": t.start,
            "end": t.end,
            "basis": t.basis,
        }
        for t in queries.terms_on(on or dt.date.today())
    ]


class DeskKeyOut(Schema):
    meeting: str
    key: str
    expires_at: dt.datetime
    generation: int


class DeskKeysRevokedOut(Schema):
    meeting: str
    generation: int


@router.post("/meetings/{slug}/desk-keys", response={201: DeskKeyOut}, auth=ACTOR_AUTH)
@permission_required("governance.run_meeting")
def desk_key_issue(request: HttpRequest, slug: str) -> Status[dict[str, object]]:
    """A desk key for this meeting's check-in desk or voting console, held by you (who run
    the meeting), valid 24 hours or until revoked. Shown once: it is not stored."""
    meeting = get_object_or_404(Meeting, slug=slug)
    issued = domain.desk_key_issue(actor=_actor(request), meeting=meeting)
    return Status(
        201,
        {
            "meeting": meeting.slug,
            "key": issued.key,
            "expires_at": issued.expires_at,
            "generation": issued.generation,
        },
    )


@router.delete("/meetings/{slug}/desk-keys", response=DeskKeysRevokedOut, auth=ACTOR_AUTH)
@permission_required("governance.run_meeting")
def desk_keys_revoke(request: HttpRequest, slug: str) -> dict[str, object]:
    """Revoke every desk key issued for this meeting so far."""
    meeting = get_object_or_404(Meeting, slug=slug)
    generation = domain.desk_keys_revoke(actor=_actor(request), meeting=meeting)
    return {"meeting": meeting.slug, "generation": generation}


# Preparing, running and minuting meetings: its own module, the same /governance prefix.
router.add_router("", meetings_router)
router.add_router("", polls_router)
router.add_router("", ballot_router)
router.add_router("", accreditation_router)
