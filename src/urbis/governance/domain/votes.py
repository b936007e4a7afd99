"""Votes and decisions: one vote per member, secret ballots kept apart, decisions with their
quorum, and what an adopted item changes (offices, Art. 11(4), amendments, reviews)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from urbis.common.actor import Actor, ActorArg, ActorKind, as_actor, user_of
from urbis.common.audit import audit_record
from urbis.common.errors import Conflict
from urbis.dues.domain import review_apply_for_decision
from urbis.governance import queries, rules, statements
from urbis.governance.desk import DeskKey
from urbis.governance.domain.desk_keys import desk_key_user
from urbis.governance.domain.lifecycle import MeetingClosedError, ensure_open
from urbis.governance.domain.offices import office_term_record, office_terms_succeed
from urbis.governance.domain.snapshots import snapshot
from urbis.governance.models import (
    AgendaItem,
    Amendment,
    ArticleVersion,
    Ballot,
    Candidate,
    Choice,
    Decision,
    ItemKind,
    Method,
    OfficeKind,
    Vote,
)
from urbis.members.domain import application_decide_for_decision
from urbis.members.models import AGENDA_PREFIX as APPLICATION_AGENDA_PREFIX
from urbis.members.models import Organisation

VOTING_METHODS = {Method.ROLL_CALL, Method.SHOW_OF_HANDS, Method.SECRET_BALLOT}


def vote_cast(
    *, actor: ActorArg, agenda_item: AgendaItem, organisation: Organisation, choice: str
) -> Vote:
    """Record a member's vote: one per member and item (a database constraint), only from a
    member present at the meeting, only before the decision. For a secret ballot the record of
    *who* voted and the ballot paper (*what*) are stored apart, with no link."""
    if choice not in Choice.values:
        raise ValidationError({"choice": f"'{choice}' is not one of for, against, abstain."})
    if agenda_item.method not in VOTING_METHODS:
        raise ValidationError(
            {"agenda_item": f"Agenda {agenda_item.number} is decided by {agenda_item.method}."}
        )
    secret = agenda_item.method == Method.SECRET_BALLOT
    try:
        with transaction.atomic():
            # Under a share lock on the item: a decision waits for this vote, or this vote
            # reads the decision (the preconditions are read after the lock).
            if connection.vendor == "postgresql":
                statements.item_share_lock(agenda_item.pk)
            decided, present, status = queries.vote_preconditions(agenda_item, organisation)
            try:
                rules.check_open(status, str(agenda_item.meeting))
            except rules.MeetingClosed as exc:
                raise MeetingClosedError({"meeting": str(exc)}) from exc
            if decided:
                raise ValidationError(
                    {"agenda_item": f"Agenda {agenda_item.number} is already decided."}
                )
            if not present:
                raise ValidationError(
                    {"organisation": f"{organisation} is not present at the meeting."}
                )
            vote = Vote.objects.create(
                agenda_item=agenda_item,
                organisation=organisation,
                choice="" if secret else choice,
                cast_by=user_of(actor),
            )
            if secret:
                Ballot.objects.create(agenda_item=agenda_item, choice=choice)
            audit_record(
                actor=actor,
                action="vote.cast",
                target=vote,
                after={"organisation": organisation.pk, "choice": "" if secret else choice},
            )
    except IntegrityError as exc:
        raise ValidationError(
            {
                "organisation": (
                    f"{organisation} has already voted on agenda {agenda_item.number}: "
                    "one vote per member."
                )
            }
        ) from exc
    return vote


@dataclass(frozen=True)
class CastVote:
    """A vote recorded: what the voting desk answers."""

    vote_id: int
    agenda_item_id: int
    organisation_id: int
    organisation_name: str


def vote_cast_by_id(
    *, actor: ActorArg, agenda_item_id: int, organisation_id: int, choice: str
) -> CastVote:
    """`vote_cast` for an item and a member named by id, as the voting desk sends them.

    During a roll call every vote is a write on the hot path: on PostgreSQL the lookups, the
    preconditions, the vote, the ballot paper and the audit record are one statement (see
    `statements`); elsewhere, and for a choice that is refused anyway, the ORM path. Raises
    AgendaItem.DoesNotExist, Organisation.DoesNotExist, and ValidationError with the
    messages of `vote_cast`, in its order, after the lookups.
    """
    acting = as_actor(actor)
    desk: DeskKey | None = acting.desk if acting.kind is ActorKind.DESK else None
    if connection.vendor != "postgresql" or choice not in Choice.values:
        item = AgendaItem.objects.select_related("meeting").get(pk=agenda_item_id)
        organisation = Organisation.objects.get(pk=organisation_id)
        if desk is not None:
            if item.meeting_id != desk.meeting_id:
                raise PermissionDenied("This desk key is for another meeting.")
            acting = Actor.for_user(desk_key_user(desk))
        vote = vote_cast(actor=acting, agenda_item=item, organisation=organisation, choice=choice)
        return CastVote(vote.pk, item.pk, organisation.pk, organisation.name)
    row = statements.vote(
        agenda_item_id=agenda_item_id,
        organisation_id=organisation_id,
        choice=choice,
        voting_methods=VOTING_METHODS,
        at=timezone.now(),
        user_id=desk.user_id if desk else acting.user_id,
        label="desk key" if desk else acting.label,
        desk=desk,
    )
    # The lookups before the key, as on the ORM path: an unknown item or member is a 404.
    if not row.item_found:
        raise AgendaItem.DoesNotExist(f"No agenda item {agenda_item_id}.")
    if row.organisation_name is None:
        raise Organisation.DoesNotExist(f"No organisation {organisation_id}.")
    if not row.authorised:
        raise PermissionDenied(statements.DESK_KEY_REFUSED)
    try:
        rules.check_open(row.status or "", row.meeting_title or "")
    except rules.MeetingClosed as exc:
        raise MeetingClosedError({"meeting": str(exc)}) from exc
    if row.method not in VOTING_METHODS:
        raise ValidationError({"agenda_item": f"Agenda {row.number} is decided by {row.method}."})
    if row.decided:
        raise ValidationError({"agenda_item": f"Agenda {row.number} is already decided."})
    if not row.present:
        raise ValidationError(
            {"organisation": f"{row.organisation_name} is not present at the meeting."}
        )
    if row.vote_id is None:
        raise ValidationError(
            {
                "organisation": (
                    f"{row.organisation_name} has already voted on agenda {row.number}: "
                    "one vote per member."
                )
            }
        )
    return CastVote(row.vote_id, agenda_item_id, organisation_id, row.organisation_name)


def _apply_effects(item: AgendaItem, actor: ActorArg) -> None:
    """What an adopted item changes: offices filled, Art. 11(4), amendments in force."""
    selected = list(
        item.candidates.exclude(
            status__in=[Candidate.Status.NOT_SELECTED, Candidate.Status.WITHDRAWN]
        )
        .select_related("organisation")
        .order_by("order", "id")
    )
    if item.kind in {ItemKind.ELECTION, ItemKind.APPOINTMENT} and item.office:
        if item.office == OfficeKind.VICE_PRESIDENT_CITY:
            rules.check_vice_presidents(len(selected))
        if item.office == OfficeKind.EXCOM_MEMBER and item.kind == ItemKind.ELECTION:
            rules.check_call_before_election(item.call_for_candidates_on, item.meeting.date)
        basis = f"{item.meeting.title}, agenda {item.number}" + (
            f" (Art. {item.article})" if item.article else ""
        )
        start = item.term_start or item.meeting.date
        if item.office in rules.OFFICE_SEATS:
            office_terms_succeed(
                actor=actor,
                kind=item.office,
                organisations=[c.organisation for c in selected],
                start=start,
                end=item.term_end,
                basis=basis,
                agenda_item=item,
            )
        else:
            for c in selected:
                office_term_record(
                    actor=actor,
                    kind=item.office,
                    organisation=c.organisation,
                    start=start,
                    end=item.term_end,
                    basis=basis,
                    agenda_item=item,
                )
    if item.kind == ItemKind.SELECTION and item.hosts_meeting:
        if len(selected) != 1:
            raise rules.GovernanceError(
                f"Agenda {item.number}: one bid must be selected, not {len(selected)}."
            )
        host = selected[0].organisation
        appointment = rules.next_host_becomes_evp(
            host_organisation_id=host.pk,
            term_start=item.term_start or item.meeting.date,
            term_end=item.term_end,
        )
        office_terms_succeed(
            actor=actor,
            kind=appointment.office,
            organisations=[host],
            start=appointment.start,
            end=appointment.end,
            basis=appointment.basis + f" ({item.hosts_meeting})",
            agenda_item=item,
        )
    for c in selected:
        c.status = Candidate.Status.SELECTED
        c.save(update_fields=["status"])
    if item.membership_review_ref.startswith(APPLICATION_AGENDA_PREFIX):
        # An application for membership: approved in the decision's transaction.
        application_decide_for_decision(
            actor=actor,
            reference=item.membership_review_ref,
            decision_ref=f"{item.meeting.title}, agenda {item.number}",
            decided_on=item.meeting.date,
            adopted=True,
        )
    elif item.membership_review_ref or item.membership_review_as_of:
        audit_record(
            actor=actor,
            action="membership_review.approve",
            target=item,
            after={
                "review": item.membership_review_ref,
                "as_of": str(item.membership_review_as_of or ""),
            },
        )
    if item.membership_review_as_of:
        # The transitions are applied here, in the decision's transaction: a refused one
        # rolls the decision back with it; each lifecycle event cites this agenda item.
        review_apply_for_decision(
            actor=as_actor(actor),
            as_of=item.membership_review_as_of,
            decision_ref=f"{item.meeting.title}, agenda {item.number}",
            decided_on=item.meeting.date,
            adopted=True,
        )
    for amendment in item.amendments.select_related("article"):
        amendment.status = Amendment.Status.APPROVED
        amendment.save(update_fields=["status"])
        if amendment.proposed_text and amendment.effective_from:
            ArticleVersion.objects.update_or_create(
                article=amendment.article,
                effective_from=amendment.effective_from,
                defaults={"text": amendment.proposed_text, "amendment": amendment},
            )
        audit_record(
            actor=actor, action="amendment.approve", target=amendment, after=snapshot(amendment)
        )


def decide_locked(
    *,
    item: AgendaItem,
    actor: ActorArg,
    result: str,
    method: str,
    votes: rules.Tally,
    quorum: rules.QuorumState,
    outcome: str = "",
    selected: list[Organisation] | None = None,
    at: dt.datetime | None = None,
) -> Decision:
    """Record the decision of an item the caller holds locked (in its transaction): the
    decision, the candidates chosen, what an adopted item changes, and the flag that closes
    the item to votes (a vote waiting on the item's lock sees it set)."""
    decision = Decision.objects.create(
        agenda_item=item,
        method=method,
        result=result,
        votes_for=votes.votes_for,
        votes_against=votes.votes_against,
        votes_abstain=votes.votes_abstain,
        quorum_present=quorum.present,
        quorum_eligible=quorum.eligible,
        quorum_required=quorum.required,
        quorum_met=quorum.met,
        population_represented=quorum.population,
        outcome=outcome,
        decided_at=at or timezone.now(),
        recorded_by=user_of(actor),
    )
    AgendaItem.objects.filter(pk=item.pk).update(voting_closed=True)
    item.voting_closed = True
    if selected is not None:
        chosen = {o.pk for o in selected}
        unknown = chosen - set(item.candidates.values_list("organisation_id", flat=True))
        if unknown:
            raise ValidationError({"selected": "Only candidates on the slate can win."})
        item.candidates.exclude(organisation_id__in=chosen).update(
            status=Candidate.Status.NOT_SELECTED
        )
    try:
        if result == Decision.Result.ADOPTED:
            _apply_effects(item, actor)
        elif item.membership_review_ref.startswith(APPLICATION_AGENDA_PREFIX):
            # A rejected application for membership is rejected with the decision.
            application_decide_for_decision(
                actor=actor,
                reference=item.membership_review_ref,
                decision_ref=f"{item.meeting.title}, agenda {item.number}",
                decided_on=item.meeting.date,
                adopted=False,
            )
    except rules.GovernanceError as exc:
        raise ValidationError({"agenda_item": str(exc)}) from exc
    audit_record(actor=actor, action="decision.record", target=decision, after=snapshot(decision))
    return decision


def decision_record(
    *,
    actor: ActorArg,
    agenda_item: AgendaItem,
    outcome: str = "",
    selected: list[Organisation] | None = None,
    at: dt.datetime | None = None,
) -> Decision:
    """Decide an agenda item with the quorum as it stands now, and record both.

    Art. 16(2): an item is adopted only when the quorum is met; otherwise nothing is written
    and the error says by how much the quorum falls short. `selected` names the elected,
    appointed or selected candidates (by default, every candidate on the slate).

    The item is locked before the votes are counted, and every vote takes a share lock on
    it first: a vote answered as recorded committed before the count, and a later one finds
    the item closed (`voting_closed`).
    """
    try:
        with transaction.atomic():
            item = (
                AgendaItem.objects.select_for_update()
                .select_related("meeting")
                .get(pk=agenda_item.pk)
            )
            if item.voting_closed or Decision.objects.filter(agenda_item=item).exists():
                raise ValidationError({"agenda_item": f"Agenda {item.number} is already decided."})
            if item.polls.filter(state="open").exists():
                raise Conflict(
                    {"agenda_item": f"A poll is open on agenda {item.number}: close it first."}
                )
            ensure_open(item.meeting)
            quorum = queries.quorum_for(item.meeting)
            votes = queries.vote_counts(item) if item.method in VOTING_METHODS else rules.Tally()
            result = rules.decision_result(
                kind=item.kind, method=item.method, votes=votes, quorum=quorum
            )
            decision = decide_locked(
                item=item,
                actor=actor,
                result=result,
                method=item.method,
                votes=votes,
                quorum=quorum,
                outcome=outcome,
                selected=selected,
                at=at,
            )
    except rules.GovernanceError as exc:
        raise ValidationError({"agenda_item": str(exc)}) from exc
    return decision
