"""Delegations and the attendance register: accreditation, check-in (one statement on
PostgreSQL for the desk), the import from the events app's badge check-ins, check-out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from urbis.common.actor import Actor, ActorArg, ActorKind, as_actor, user_of
from urbis.common.audit import audit_record
from urbis.events.models import Event
from urbis.events.queries import checked_in_organisations
from urbis.governance import rules, statements
from urbis.governance.desk import DeskKey
from urbis.governance.domain.desk_keys import desk_key_user
from urbis.governance.domain.lifecycle import MeetingClosedError, ensure_open
from urbis.governance.domain.snapshots import snapshot
from urbis.governance.models import (
    CheckIn,
    CheckOut,
    Delegate,
    Meeting,
    Mode,
)
from urbis.members.models import Organisation


def delegate_accredit(
    *,
    actor: ActorArg,
    meeting: Meeting,
    organisation: Organisation,
    name: str = "",
    position: str = "",
    role: str = Delegate.Role.HEAD,
    mode: str = Mode.ON_SITE,
    mayoral_level: bool | None = None,
    note: str = "",
    email: str = "",
) -> Delegate:
    """Accredit a delegate for its member. The mayoral-level flag follows the position unless
    it is given. Accrediting the same person again updates the accreditation. The delegate's
    own e-mail, when given, is where the ballot link goes (else a contact of the member with
    the delegate's name); an empty one keeps the address already recorded."""
    if mode not in Mode.values:
        raise ValidationError({"mode": f"Unknown attendance mode '{mode}'."})
    if role not in Delegate.Role.values:
        raise ValidationError({"role": f"Unknown delegate role '{role}'."})
    email = email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError({"email": f"'{email}' is not an e-mail address."}) from None
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
        if email:
            delegate.email = email
        if before == snapshot(delegate):
            return delegate
        ensure_open(meeting)
        delegate.save()
        after = snapshot(delegate)
        if before != after:
            audit_record(
                actor=actor, action="delegate.accredit", target=delegate, before=before, after=after
            )
    return delegate


def attendance_check_in(
    *,
    actor: ActorArg,
    delegate: Delegate,
    mode: str | None = None,
    at: dt.datetime | None = None,
    source: str = "direct",
) -> tuple[CheckIn, bool]:
    """Enter a delegate in the meeting's attendance register; returns (check-in, created).

    Checking in twice is harmless: the register keeps the first entry (the database allows
    one per delegate) — except that on-site wins over online: a delegate present online who
    arrives on site ends the online stay (kept as a `CheckOut`) and is present on site from
    now. The events app's badge check-ins reach this function with `source="event"`.
    Refused once the meeting is concluded.
    """
    mode = mode or delegate.mode
    if mode not in Mode.values:
        raise ValidationError({"mode": f"Unknown attendance mode '{mode}'."})
    if delegate.meeting.status in rules.CLOSED_STATUSES:
        existing = CheckIn.objects.filter(delegate=delegate).first()
        if existing is not None and not (mode == Mode.ON_SITE and existing.mode == Mode.ONLINE):
            return existing, False  # already in the record: nothing would change
        ensure_open(delegate.meeting)
    moment = at or timezone.now()
    try:
        with transaction.atomic():
            check_in = CheckIn.objects.create(
                meeting_id=delegate.meeting_id,
                delegate=delegate,
                organisation_id=delegate.organisation_id,
                mode=mode,
                at=moment,
                source=source,
                recorded_by=user_of(actor),
            )
            audit_record(
                actor=actor,
                action="attendance.check_in",
                target=check_in,
                after={"delegate": delegate.pk, "mode": mode, "source": source},
            )
    except IntegrityError:
        existing = CheckIn.objects.get(delegate=delegate)
        if mode == Mode.ON_SITE and existing.mode == Mode.ONLINE:
            return _arrive_on_site(actor=actor, check_in=existing, at=moment, source=source), False
        return existing, False
    return check_in, True


def _arrive_on_site(*, actor: ActorArg, check_in: CheckIn, at: dt.datetime, source: str) -> CheckIn:
    """On-site wins over online: the online stay ends now and the delegate is on site."""
    with transaction.atomic():
        locked = CheckIn.objects.select_for_update().get(pk=check_in.pk)
        if locked.mode == Mode.ON_SITE:
            return locked
        CheckOut.objects.create(
            meeting_id=locked.meeting_id,
            delegate_id=locked.delegate_id,
            organisation_id=locked.organisation_id,
            mode=locked.mode,
            arrived_at=locked.at,
            left_at=max(at, locked.at),
        )
        before = {"mode": locked.mode, "at": locked.at.isoformat()}
        locked.mode, locked.at, locked.source = Mode.ON_SITE, max(at, locked.at), source
        locked.save(update_fields=["mode", "at", "source"])
        audit_record(
            actor=actor,
            action="attendance.on_site",
            target=locked,
            before=before,
            after={"mode": locked.mode, "at": locked.at.isoformat()},
        )
    return locked


def attendance_check_in_by_id(
    *,
    actor: ActorArg,
    meeting_slug: str,
    delegate_id: int,
    mode: str | None = None,
    source: str = "direct",
) -> statements.CheckInRow:
    """`attendance_check_in` for a delegate named by id, as the check-in desk sends it.

    `actor` is authorised by the caller (`governance.check_in`); a desk key's actor is
    checked here for its meeting and, with the write, for its revocation and holder. On
    PostgreSQL the key's checks, the lookup, the register row and its audit record are one
    statement (see `statements`); elsewhere the ORM path. Raises Delegate.DoesNotExist when
    the meeting has no such delegate, PermissionDenied when a desk key does not hold.
    """
    if mode is not None and mode not in Mode.values:
        raise ValidationError({"mode": f"Unknown attendance mode '{mode}'."})
    acting = as_actor(actor)
    desk: DeskKey | None = acting.desk if acting.kind is ActorKind.DESK else None
    if desk is not None and desk.meeting_slug != meeting_slug:
        raise PermissionDenied("This desk key is for another meeting.")
    if connection.vendor == "postgresql":
        try:
            row = statements.check_in(
                slug=meeting_slug,
                delegate_id=delegate_id,
                mode=mode,
                at=timezone.now(),
                source=source,
                user_id=desk.user_id if desk else acting.user_id,
                label="desk key" if desk else acting.label,
                desk=desk,
            )
        except rules.MeetingClosed as exc:
            raise MeetingClosedError({"meeting": str(exc)}) from exc
        if row is None:
            raise Delegate.DoesNotExist(f"No delegate {delegate_id} at meeting '{meeting_slug}'.")
        if not row.created and mode == Mode.ON_SITE and row.mode == Mode.ONLINE:
            delegate = Delegate.objects.select_related("meeting").get(pk=delegate_id)
            holder = Actor.for_user(desk_key_user(desk)) if desk is not None else acting
            ci, _ = attendance_check_in(actor=holder, delegate=delegate, mode=mode, source=source)
            return statements.CheckInRow(
                delegate.pk, delegate.organisation_id, ci.mode, ci.at, False
            )
        return row
    if desk is not None:
        acting = Actor.for_user(desk_key_user(desk))
    delegate = Delegate.objects.select_related("organisation", "meeting").get(
        pk=delegate_id, meeting__slug=meeting_slug
    )
    ci, created = attendance_check_in(actor=acting, delegate=delegate, mode=mode, source=source)
    return statements.CheckInRow(delegate.pk, delegate.organisation_id, ci.mode, ci.at, created)


@dataclass(frozen=True)
class EventAttendanceImport:
    members: int  # members with someone checked in at the event on the meeting's day
    checked_in: int  # entered in the register now
    already: int  # were in the register before
    delegates_accredited: int  # members that had no delegate for the meeting yet


def attendance_import_from_event(
    *, actor: ActorArg, meeting: Meeting, event: Event
) -> EventAttendanceImport:
    """Fill the meeting's register from the badge check-ins of the event on the meeting's
    day (`events.queries.checked_in_organisations`): the member holds the vote, so one entry
    per member, on-site if any of its people came on-site. A member without a delegate for
    the meeting gets one accredited: its first checked-in person, as head of delegation.
    All or nothing; running it again adds only the newcomers."""
    ensure_open(meeting)
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


def attendance_check_out(
    *, actor: ActorArg, delegate: Delegate, at: dt.datetime | None = None
) -> bool:
    """Take a delegate off the register (left the room, lost the connection); the stay is
    kept with its arrival and departure times, and a re-entry is a new check-in. Refused
    once the meeting is concluded (it would change its record)."""
    ensure_open(delegate.meeting)
    with transaction.atomic():
        check_in = CheckIn.objects.select_for_update().filter(delegate=delegate).first()
        if check_in is None:
            return False
        left = max(at or timezone.now(), check_in.at)
        stay = CheckOut.objects.create(
            meeting_id=check_in.meeting_id,
            delegate_id=check_in.delegate_id,
            organisation_id=check_in.organisation_id,
            mode=check_in.mode,
            arrived_at=check_in.at,
            left_at=left,
        )
        audit_record(
            actor=actor,
            action="attendance.check_out",
            target=check_in,
            before={"delegate": delegate.pk, "mode": check_in.mode},
            after={"check_out": stay.pk, "left_at": left.isoformat()},
        )
        check_in.delete()
    return True
