"""Writes of governance. Each function runs in one transaction and leaves an audit record."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from urbis.common.audit import audit_record
from urbis.common.audit import snapshot as _snapshot
from urbis.events.models import Event
from urbis.events.queries import checked_in_organisations
from urbis.governance import queries, rules, statements
from urbis.governance.desk import HOLDER_ROLES, MAX_AGE, DeskKey, desk_key_sign
from urbis.governance.models import (
    AgendaItem,
    Amendment,
    Article,
    ArticleVersion,
    Ballot,
    Candidate,
    CheckIn,
    Choice,
    Decision,
    Delegate,
    ItemKind,
    Meeting,
    Method,
    Mode,
    OfficeKind,
    OfficeTerm,
    QuorumRule,
    Vote,
)
from urbis.members.models import Organisation


def snapshot(instance: Any) -> dict[str, Any]:
    """The audit snapshot, with times of day as ISO text (the audit trail stores JSON)."""
    return {
        k: v.isoformat() if isinstance(v, dt.time) else v for k, v in _snapshot(instance).items()
    }


# --- statutes -------------------------------------------------------------------------


def article_save(
    *, actor: Any, number: int, title: str, text: str, effective_from: dt.date
) -> ArticleVersion:
    """Create or retitle an article and record its text in force from a date (idempotent)."""
    with transaction.atomic():
        article, created = Article.objects.get_or_create(number=number, defaults={"title": title})
        if not created and article.title != title:
            before = snapshot(article)
            article.title = title
            article.save(update_fields=["title"])
            audit_record(
                actor=actor,
                action="article.update",
                target=article,
                before=before,
                after=snapshot(article),
            )
        version, v_created = ArticleVersion.objects.get_or_create(
            article=article, effective_from=effective_from, defaults={"text": text}
        )
        if v_created or version.text != text:
            prior = None if v_created else snapshot(version)
            version.text = text
            version.save()
            audit_record(
                actor=actor,
                action="article.text",
                target=version,
                before=prior,
                after=snapshot(version),
            )
    return version


def amendment_propose(
    *,
    actor: Any,
    article_number: int,
    source: str,
    current_text: str,
    proposal: str,
    rationale: str = "",
    proposed_text: str = "",
    effective_from: dt.date | None = None,
    agenda_item: AgendaItem | None = None,
) -> Amendment:
    """Record a proposed amendment of an article (upsert by article and source)."""
    try:
        article = Article.objects.get(number=article_number)
    except Article.DoesNotExist as exc:
        raise ValidationError({"article": f"Article {article_number} is not loaded."}) from exc
    fields = {
        "current_text": current_text,
        "proposal": proposal,
        "rationale": rationale,
        "proposed_text": proposed_text,
        "effective_from": effective_from,
        "agenda_item": agenda_item,
    }
    with transaction.atomic():
        amendment, created = Amendment.objects.get_or_create(
            article=article, source=source, defaults=fields
        )
        before = None if created else snapshot(amendment)
        if not created:
            for name, value in fields.items():
                setattr(amendment, name, value)
            amendment.save()
        after = snapshot(amendment)
        if created or before != after:
            audit_record(
                actor=actor,
                action="amendment.propose",
                target=amendment,
                before=before,
                after=after,
            )
    return amendment


def quorum_rule_set(
    *,
    actor: Any,
    effective_from: dt.date,
    numerator: int,
    denominator: int,
    counted_categories: list[str],
    counted_states: list[str],
    text: str = "",
) -> QuorumRule:
    """Art. 16(2) as statute data, in force from a date (upsert by date)."""
    if denominator <= 0 or numerator > denominator or numerator < 1:
        raise ValidationError({"fraction": f"{numerator}/{denominator} is not a valid quorum."})
    fields = {
        "numerator": numerator,
        "denominator": denominator,
        "counted_categories": sorted(counted_categories),
        "counted_states": sorted(counted_states),
        "text": text,
    }
    with transaction.atomic():
        rule = QuorumRule.objects.filter(effective_from=effective_from).first()
        before = snapshot(rule) if rule else None
        rule = rule or QuorumRule(effective_from=effective_from)
        for name, value in fields.items():
            setattr(rule, name, value)
        rule.save()
        after = snapshot(rule)
        if before != after:
            audit_record(
                actor=actor, action="quorum_rule.set", target=rule, before=before, after=after
            )
    return rule


# --- offices --------------------------------------------------------------------------


def office_term_record(
    *,
    actor: Any,
    kind: str,
    start: dt.date,
    end: dt.date | None = None,
    organisation: Organisation | None = None,
    person_name: str = "",
    region: str = "",
    title: str = "",
    basis: str = "",
    note: str = "",
    agenda_item: AgendaItem | None = None,
) -> OfficeTerm:
    """Record who holds an office for a term. Art. 11: the President City, the Executive Vice
    President City and the Secretary General have one holder at a time, so an overlapping
    term of another holder is refused. Recording the same term again changes nothing."""
    if kind not in OfficeKind.values:
        raise ValidationError({"kind": f"Unknown office '{kind}'."})
    if end is not None and end < start:
        raise ValidationError({"end": f"The term ends ({end}) before it starts ({start})."})
    with transaction.atomic():
        existing = OfficeTerm.objects.filter(
            kind=kind, organisation=organisation, region=region, start=start
        ).first()
        if existing is not None and organisation is not None:
            return existing
        if kind in rules.SINGLE_HOLDER_OFFICES:
            for other in OfficeTerm.objects.select_for_update().filter(kind=kind):
                same = other.organisation_id == (organisation.pk if organisation else None) and (
                    other.person_name == person_name
                )
                if not same and rules.terms_overlap(start, end, other.start, other.end):
                    raise ValidationError(
                        {"start": f"Art. 11: {other} overlaps the new term {start} to {end or ''}."}
                    )
                if same and other.start == start:
                    return other
        term = OfficeTerm.objects.create(
            kind=kind,
            organisation=organisation,
            person_name=person_name,
            region=region,
            title=title,
            start=start,
            end=end,
            basis=basis,
            note=note,
            agenda_item=agenda_item,
        )
        audit_record(actor=actor, action="office_term.record", target=term, after=snapshot(term))
    return term


# --- meetings -------------------------------------------------------------------------

MEETING_FIELDS = frozenset(
    f.name for f in Meeting._meta.concrete_fields if f.name not in {"id", "slug"}
)
ITEM_FIELDS = frozenset(
    f.name for f in AgendaItem._meta.concrete_fields if f.name not in {"id", "meeting", "number"}
)


def meeting_save(*, actor: Any, slug: str, **fields: Any) -> Meeting:
    """Create or update a meeting by its slug."""
    unknown = set(fields) - MEETING_FIELDS
    if unknown:
        raise ValidationError({name: "Unknown field." for name in sorted(unknown)})
    with transaction.atomic():
        meeting = Meeting.objects.filter(slug=slug).first()
        before = snapshot(meeting) if meeting else None
        meeting = meeting or Meeting(slug=slug)
        for name, value in fields.items():
            setattr(meeting, name, value)
        meeting.full_clean()
        meeting.save()
        after = snapshot(meeting)
        if before != after:
            audit_record(
                actor=actor, action="meeting.save", target=meeting, before=before, after=after
            )
    return meeting


def agenda_item_save(*, actor: Any, meeting: Meeting, number: int, **fields: Any) -> AgendaItem:
    """Create or update agenda item `number` of a meeting."""
    unknown = set(fields) - ITEM_FIELDS
    if unknown:
        raise ValidationError({name: "Unknown field." for name in sorted(unknown)})
    with transaction.atomic():
        item = AgendaItem.objects.filter(meeting=meeting, number=number).first()
        before = snapshot(item) if item else None
        item = item or AgendaItem(meeting=meeting, number=number)
        for name, value in fields.items():
            setattr(item, name, value)
        item.full_clean()
        item.save()
        after = snapshot(item)
        if before != after:
            audit_record(
                actor=actor, action="agenda_item.save", target=item, before=before, after=after
            )
    return item


def candidate_add(
    *,
    actor: Any,
    agenda_item: AgendaItem,
    organisation: Organisation,
    label: str = "",
    nominated_on: dt.date | None = None,
    nominated_by: str = "",
    appointed_by: str = "",
    order: int = 0,
) -> Candidate:
    """Put a candidate on an item's slate (a nominee, or a bid for a host-city selection)."""
    if agenda_item.kind not in {ItemKind.ELECTION, ItemKind.APPOINTMENT, ItemKind.SELECTION}:
        raise ValidationError({"agenda_item": f"{agenda_item} takes no candidates."})
    with transaction.atomic():
        candidate, created = Candidate.objects.update_or_create(
            agenda_item=agenda_item,
            organisation=organisation,
            defaults={
                "label": label,
                "nominated_on": nominated_on,
                "nominated_by": nominated_by,
                "appointed_by": appointed_by,
                "order": order,
            },
        )
        if created:
            audit_record(
                actor=actor, action="candidate.add", target=candidate, after=snapshot(candidate)
            )
    return candidate


# --- delegations and attendance -------------------------------------------------------


def delegate_accredit(
    *,
    actor: Any,
    meeting: Meeting,
    organisation: Organisation,
    name: str = "",
    position: str = "",
    role: str = Delegate.Role.HEAD,
    mode: str = Mode.ON_SITE,
    mayoral_level: bool | None = None,
    note: str = "",
) -> Delegate:
    """Accredit a delegate for its member. The mayoral-level flag follows the position unless
    it is given. Accrediting the same person again updates the accreditation."""
    if mode not in Mode.values:
        raise ValidationError({"mode": f"Unknown attendance mode '{mode}'."})
    if role not in Delegate.Role.values:
        raise ValidationError({"role": f"Unknown delegate role '{role}'."})
    mayoral = rules.mayoral_from_position(position) if mayoral_level is None else mayoral_level
    with transaction.atomic():
        delegate = Delegate.objects.filter(
            meeting=meeting, organisation=organisation, name=name, position=position
        ).first()
        before = snapshot(delegate) if delegate else None
        if delegate is None and role == Delegate.Role.HEAD:
            head = Delegate.objects.filter(
                meeting=meeting, organisation=organisation, role=Delegate.Role.HEAD
            ).first()
            if head is not None:
                raise ValidationError(
                    {"role": f"{organisation} already has a head of delegation: {head}."}
                )
        delegate = delegate or Delegate(
            meeting=meeting, organisation=organisation, name=name, position=position
        )
        delegate.role, delegate.mode, delegate.mayoral_level, delegate.note = (
            role,
            mode,
            mayoral,
            note,
        )
        delegate.save()
        after = snapshot(delegate)
        if before != after:
            audit_record(
                actor=actor, action="delegate.accredit", target=delegate, before=before, after=after
            )
    return delegate


def attendance_check_in(
    *,
    actor: Any,
    delegate: Delegate,
    mode: str | None = None,
    at: dt.datetime | None = None,
    source: str = "direct",
) -> tuple[CheckIn, bool]:
    """Enter a delegate in the meeting's attendance register; returns (check-in, created).

    Checking in twice is harmless: the register keeps the first entry (the database allows
    one per delegate). This is the seam for the events app: its badge check-in calls this
    function with `source="event"`.
    """
    mode = mode or delegate.mode
    if mode not in Mode.values:
        raise ValidationError({"mode": f"Unknown attendance mode '{mode}'."})
    try:
        with transaction.atomic():
            check_in = CheckIn.objects.create(
                meeting_id=delegate.meeting_id,
                delegate=delegate,
                organisation_id=delegate.organisation_id,
                mode=mode,
                at=at or timezone.now(),
                source=source,
                recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            audit_record(
                actor=actor,
                action="attendance.check_in",
                target=check_in,
                after={"delegate": delegate.pk, "mode": mode, "source": source},
            )
    except IntegrityError:
        return CheckIn.objects.get(delegate=delegate), False
    return check_in, True


def attendance_check_in_by_id(
    *,
    actor: Any,
    meeting_slug: str,
    delegate_id: int,
    mode: str | None = None,
    source: str = "direct",
) -> statements.CheckInRow:
    """`attendance_check_in` for a delegate named by id, as the check-in desk sends it.

    `actor` is a signed-in user (its permission checked by the caller) or a `DeskKey`. On
    PostgreSQL the key's checks, the lookup, the register row and its audit record are one
    statement (see `statements`); elsewhere the ORM path. Raises Delegate.DoesNotExist when
    the meeting has no such delegate, PermissionDenied when a desk key does not hold.
    """
    if mode is not None and mode not in Mode.values:
        raise ValidationError({"mode": f"Unknown attendance mode '{mode}'."})
    desk = actor if isinstance(actor, DeskKey) else None
    if desk is not None and desk.meeting_slug != meeting_slug:
        raise PermissionDenied("This desk key is for another meeting.")
    if connection.vendor == "postgresql":
        user = actor if getattr(actor, "is_authenticated", False) else None
        row = statements.check_in(
            slug=meeting_slug,
            delegate_id=delegate_id,
            mode=mode,
            at=timezone.now(),
            source=source,
            user_id=desk.user_id if desk else (user.pk if user else None),
            label=desk.username if desk else (user.username if user else "system"),
            desk=desk,
        )
        if row is None:
            raise Delegate.DoesNotExist(f"No delegate {delegate_id} at meeting '{meeting_slug}'.")
        return row
    if desk is not None:
        actor = desk_key_user(desk)
    delegate = Delegate.objects.select_related("organisation").get(
        pk=delegate_id, meeting__slug=meeting_slug
    )
    ci, created = attendance_check_in(actor=actor, delegate=delegate, mode=mode, source=source)
    return statements.CheckInRow(delegate.pk, delegate.organisation_id, ci.mode, ci.at, created)


# --- desk keys ------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedDeskKey:
    key: str
    expires_at: dt.datetime
    generation: int


def desk_key_issue(*, actor: Any, meeting: Meeting) -> IssuedDeskKey:
    """A key for a check-in desk or a voting console of `meeting`, held by `actor` (who must
    be able to run the meeting), valid for `desk.MAX_AGE` or until revoked."""
    if not getattr(actor, "is_authenticated", False) or not actor.has_perm(
        "governance.run_meeting"
    ):
        raise PermissionDenied("Only those who run the meeting may hold a desk key.")
    meeting.refresh_from_db(fields=["desk_key_generation"])
    audit_record(
        actor=actor,
        action="meeting.desk_key_issue",
        target=meeting,
        after={"generation": meeting.desk_key_generation},
    )
    return IssuedDeskKey(
        key=desk_key_sign(user=actor, meeting=meeting),
        expires_at=timezone.now() + MAX_AGE,
        generation=meeting.desk_key_generation,
    )


def desk_keys_revoke(*, actor: Any, meeting: Meeting) -> int:
    """Revoke every desk key issued for `meeting` so far (a lost laptop, the end of the
    session); returns the new generation, which the next keys carry."""
    if not getattr(actor, "is_authenticated", False) or not actor.has_perm(
        "governance.run_meeting"
    ):
        raise PermissionDenied("Only those who run the meeting may revoke its desk keys.")
    with transaction.atomic():
        before = meeting.desk_key_generation
        Meeting.objects.filter(pk=meeting.pk).update(
            desk_key_generation=F("desk_key_generation") + 1
        )
        meeting.refresh_from_db(fields=["desk_key_generation"])
        audit_record(
            actor=actor,
            action="meeting.desk_keys_revoke",
            target=meeting,
            before={"generation": before},
            after={"generation": meeting.desk_key_generation},
        )
    return meeting.desk_key_generation


def desk_key_user(key: DeskKey) -> Any:
    """The holder of a desk key, after the checks the PostgreSQL statements make in SQL:
    still active, still on the secretariat, key not revoked. PermissionDenied otherwise."""
    user = (
        get_user_model()
        .objects.filter(pk=key.user_id, is_active=True)
        .filter(
            Q(is_superuser=True) | Q(groups__name__in=HOLDER_ROLES),
        )
        .distinct()
        .first()
    )
    current = Meeting.objects.filter(pk=key.meeting_id).values_list(
        "desk_key_generation", flat=True
    )
    if user is None or list(current) != [key.generation]:
        raise PermissionDenied(statements.DESK_KEY_REFUSED)
    return user


@dataclass(frozen=True)
class EventAttendanceImport:
    members: int  # members with someone checked in at the event on the meeting's day
    checked_in: int  # entered in the register now
    already: int  # were in the register before
    delegates_accredited: int  # members that had no delegate for the meeting yet


def attendance_import_from_event(
    *, actor: Any, meeting: Meeting, event: Event
) -> EventAttendanceImport:
    """Fill the meeting's register from the badge check-ins of the event on the meeting's
    day (`events.queries.checked_in_organisations`): the member holds the vote, so one entry
    per member, on-site if any of its people came on-site. A member without a delegate for
    the meeting gets one accredited: its first checked-in person, as head of delegation.
    All or nothing; running it again adds only the newcomers."""
    rows = checked_in_organisations(event, on=meeting.date)
    checked_in = already = accredited = 0
    with transaction.atomic():
        delegates: dict[int, Delegate] = {}
        for d in Delegate.objects.filter(meeting=meeting).select_related("organisation"):
            current = delegates.get(d.organisation_id)
            heads_over_current = current is not None and current.role != Delegate.Role.HEAD
            if current is None or (heads_over_current and d.role == Delegate.Role.HEAD):
                delegates[d.organisation_id] = d
        newcomers = Organisation.objects.in_bulk(
            [r.organisation_id for r in rows if r.organisation_id not in delegates]
        )
        for row in rows:
            delegate = delegates.get(row.organisation_id)
            if delegate is None:
                first = row.delegates[0]
                delegate = delegate_accredit(
                    actor=actor,
                    meeting=meeting,
                    organisation=newcomers[row.organisation_id],
                    name=first.person_name,
                    position=first.position,
                    mode=row.mode,
                    mayoral_level=row.mayoral_level,
                )
                accredited += 1
            arrived = min(r.checked_in_at for r in row.delegates)
            _, created = attendance_check_in(
                actor=actor, delegate=delegate, mode=row.mode, at=arrived, source="event"
            )
            checked_in += created
            already += not created
    return EventAttendanceImport(len(rows), checked_in, already, accredited)


def attendance_check_out(*, actor: Any, delegate: Delegate) -> bool:
    """Take a delegate off the register (left the room, lost the connection)."""
    with transaction.atomic():
        check_in = CheckIn.objects.select_for_update().filter(delegate=delegate).first()
        if check_in is None:
            return False
        audit_record(
            actor=actor,
            action="attendance.check_out",
            target=check_in,
            before={"delegate": delegate.pk, "mode": check_in.mode},
        )
        check_in.delete()
    return True


# --- votes and decisions --------------------------------------------------------------

VOTING_METHODS = {Method.ROLL_CALL, Method.SHOW_OF_HANDS, Method.SECRET_BALLOT}


def vote_cast(
    *, actor: Any, agenda_item: AgendaItem, organisation: Organisation, choice: str
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
    decided, present = queries.vote_preconditions(agenda_item, organisation)
    if decided:
        raise ValidationError({"agenda_item": f"Agenda {agenda_item.number} is already decided."})
    if not present:
        raise ValidationError({"organisation": f"{organisation} is not present at the meeting."})
    secret = agenda_item.method == Method.SECRET_BALLOT
    try:
        with transaction.atomic():
            vote = Vote.objects.create(
                agenda_item=agenda_item,
                organisation=organisation,
                choice="" if secret else choice,
                cast_by=actor if getattr(actor, "is_authenticated", False) else None,
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
    *, actor: Any, agenda_item_id: int, organisation_id: int, choice: str
) -> CastVote:
    """`vote_cast` for an item and a member named by id, as the voting desk sends them.

    During a roll call every vote is a write on the hot path: on PostgreSQL the lookups, the
    preconditions, the vote, the ballot paper and the audit record are one statement (see
    `statements`); elsewhere, and for a choice that is refused anyway, the ORM path. Raises
    AgendaItem.DoesNotExist, Organisation.DoesNotExist, and ValidationError with the
    messages of `vote_cast`, in its order, after the lookups.
    """
    desk = actor if isinstance(actor, DeskKey) else None
    if connection.vendor != "postgresql" or choice not in Choice.values:
        item = AgendaItem.objects.select_related("meeting").get(pk=agenda_item_id)
        organisation = Organisation.objects.get(pk=organisation_id)
        if desk is not None:
            if item.meeting_id != desk.meeting_id:
                raise PermissionDenied("This desk key is for another meeting.")
            actor = desk_key_user(desk)
        vote = vote_cast(actor=actor, agenda_item=item, organisation=organisation, choice=choice)
        return CastVote(vote.pk, item.pk, organisation.pk, organisation.name)
    user = actor if getattr(actor, "is_authenticated", False) else None
    row = statements.vote(
        agenda_item_id=agenda_item_id,
        organisation_id=organisation_id,
        choice=choice,
        voting_methods=VOTING_METHODS,
        at=timezone.now(),
        user_id=desk.user_id if desk else (user.pk if user else None),
        label=desk.username if desk else (getattr(user, "username", "") if user else "system"),
        desk=desk,
    )
    if not row.authorised:
        raise PermissionDenied(statements.DESK_KEY_REFUSED)
    if not row.item_found:
        raise AgendaItem.DoesNotExist(f"No agenda item {agenda_item_id}.")
    if row.organisation_name is None:
        raise Organisation.DoesNotExist(f"No organisation {organisation_id}.")
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


def _apply_effects(item: AgendaItem, actor: Any) -> None:
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
        for c in selected:
            office_term_record(
                actor=actor,
                kind=item.office,
                organisation=c.organisation,
                start=item.term_start or item.meeting.date,
                end=item.term_end,
                basis=f"{item.meeting.title}, agenda {item.number}"
                + (f" (Art. {item.article})" if item.article else ""),
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
        office_term_record(
            actor=actor,
            kind=appointment.office,
            organisation=host,
            start=appointment.start,
            end=appointment.end,
            basis=appointment.basis + f" ({item.hosts_meeting})",
            agenda_item=item,
        )
    for c in selected:
        c.status = Candidate.Status.SELECTED
        c.save(update_fields=["status"])
    if item.membership_review_ref:
        # The review's transitions are applied by the members app, which stores this
        # decision as the reference (members never imports governance).
        audit_record(
            actor=actor,
            action="membership_review.approve",
            target=item,
            after={"review": item.membership_review_ref},
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


def decision_record(
    *,
    actor: Any,
    agenda_item: AgendaItem,
    outcome: str = "",
    selected: list[Organisation] | None = None,
    at: dt.datetime | None = None,
) -> Decision:
    """Decide an agenda item with the quorum as it stands now, and record both.

    Art. 16(2): an item is adopted only when the quorum is met; otherwise nothing is written
    and the error says by how much the quorum falls short. `selected` names the elected,
    appointed or selected candidates (by default, every candidate on the slate).
    """
    try:
        with transaction.atomic():
            item = (
                AgendaItem.objects.select_for_update()
                .select_related("meeting")
                .get(pk=agenda_item.pk)
            )
            if Decision.objects.filter(agenda_item=item).exists():
                raise ValidationError({"agenda_item": f"Agenda {item.number} is already decided."})
            quorum = queries.quorum_for(item.meeting)
            votes = queries.vote_counts(item) if item.method in VOTING_METHODS else rules.Tally()
            result = rules.decision_result(
                kind=item.kind, method=item.method, votes=votes, quorum=quorum
            )
            decision = Decision.objects.create(
                agenda_item=item,
                method=item.method,
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
                recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            if selected is not None:
                chosen = {o.pk for o in selected}
                unknown = chosen - set(item.candidates.values_list("organisation_id", flat=True))
                if unknown:
                    raise ValidationError({"selected": "Only candidates on the slate can win."})
                item.candidates.exclude(organisation_id__in=chosen).update(
                    status=Candidate.Status.NOT_SELECTED
                )
            if result == Decision.Result.ADOPTED:
                _apply_effects(item, actor)
            audit_record(
                actor=actor, action="decision.record", target=decision, after=snapshot(decision)
            )
    except rules.GovernanceError as exc:
        raise ValidationError({"agenda_item": str(exc)}) from exc
    return decision
