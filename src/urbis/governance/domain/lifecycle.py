"""The lifecycle of a meeting: draft → convened → in session → concluded → minutes approved →
published, and the errata that correct a concluded record.

Every other write of a meeting's record (attendance, votes, decisions, the agenda) asks
`ensure_open` first: once the meeting is concluded the record is read-only and the error
says so (the API answers 409, the pages show the message).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from urbis.common.actor import ActorArg, user_of
from urbis.common.audit import audit_record
from urbis.common.errors import Conflict
from urbis.governance import mail, rules
from urbis.governance.models import (
    AgendaItem,
    Decision,
    Erratum,
    Meeting,
    MeetingStatus,
    Poll,
)


class MeetingClosedError(Conflict):
    """A write to the record of a concluded meeting: a conflict with the meeting's state
    (the API's 409, a form's error)."""


def ensure_open(meeting: Meeting) -> None:
    """Raise MeetingClosedError when the meeting's record is read-only (reads its status
    from the database: the instance a caller holds may be older than the conclusion)."""
    status = Meeting.objects.filter(pk=meeting.pk).values_list("status", flat=True).first()
    try:
        rules.check_open(status or meeting.status, meeting.title)
    except rules.MeetingClosed as exc:
        raise MeetingClosedError({"meeting": str(exc)}) from exc


def _step(
    *,
    actor: ActorArg,
    meeting: Meeting,
    target: str,
    fields: dict[str, Any] | None = None,
    mail_queue: Callable[..., int] | None = None,
) -> Meeting:
    """Move a meeting one step forward (the row locked), set the step's fields, audit it,
    and queue the step's mail (`governance.mail`) in the same transaction."""
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        try:
            rules.check_transition(locked.status, target)
        except rules.GovernanceError as exc:
            raise ValidationError({"status": str(exc)}) from exc
        before = {"status": locked.status}
        locked.status = target
        for name, value in (fields or {}).items():
            setattr(locked, name, value)
        locked.save(update_fields=["status", *(fields or {})])
        after: dict[str, Any] = {"status": target}
        for name, value in (fields or {}).items():
            after[name] = value.pk if hasattr(value, "pk") else value
        audit_record(
            actor=actor, action=f"meeting.{target}", target=locked, before=before, after=after
        )
        if mail_queue is not None:
            mail_queue(meeting=locked, actor=actor)
    meeting.refresh_from_db()
    return meeting


def meeting_convene(
    *, actor: ActorArg, meeting: Meeting, convocation_date: dt.date, notice: str
) -> Meeting:
    """Convene a draft meeting: the convocation date fixes the electorate (the registry state
    on that date decides who counts, Art. 16(2)) and the notice is what members receive: the
    convocation goes to every member's focal point (`mail.convocation_queue`)."""
    if not notice.strip():
        raise ValidationError({"notice": "Write the convocation notice sent to the members."})
    try:
        rules.check_convocation(convocation_date, meeting.date)
    except rules.GovernanceError as exc:
        raise ValidationError({"convocation_date": str(exc)}) from exc
    return _step(
        actor=actor,
        meeting=meeting,
        target=MeetingStatus.CONVENED,
        fields={"convocation_date": convocation_date, "convocation_notice": notice.strip()},
        mail_queue=mail.convocation_queue,
    )


def meeting_open(*, actor: ActorArg, meeting: Meeting) -> Meeting:
    """Open the session of a convened meeting."""
    return _step(actor=actor, meeting=meeting, target=MeetingStatus.IN_SESSION)


def meeting_conclude(
    *, actor: ActorArg, meeting: Meeting, at: dt.datetime | None = None
) -> Meeting:
    """Conclude a meeting in session: from now on its record is read-only. A poll still
    open is closed by the chair first (its votes would otherwise be neither counted nor
    refused)."""
    if Poll.objects.filter(meeting=meeting, state="open").exists():
        raise ValidationError({"status": f"A poll is still open at {meeting}: close it first."})
    return _step(
        actor=actor,
        meeting=meeting,
        target=MeetingStatus.CONCLUDED,
        fields={"concluded_at": at or timezone.now()},
    )


def minutes_approve(*, actor: ActorArg, meeting: Meeting, approved_by: AgendaItem) -> Meeting:
    """The minutes are approved by an adopted item of a later meeting of the Assembly or the
    EXCOM; the approval is dated by that meeting."""
    decision = Decision.objects.filter(agenda_item=approved_by).first()
    if decision is None or decision.result != Decision.Result.ADOPTED:
        raise ValidationError(
            {"approved_by": f"Agenda {approved_by.number} of {approved_by.meeting} is not adopted."}
        )
    try:
        rules.check_minutes_approval(
            meeting_on=meeting.date, approving_meeting_on=approved_by.meeting.date
        )
    except rules.GovernanceError as exc:
        raise ValidationError({"approved_by": str(exc)}) from exc
    return _step(
        actor=actor,
        meeting=meeting,
        target=MeetingStatus.MINUTES_APPROVED,
        fields={
            "minutes_approved_by": approved_by,
            "minutes_approved_on": approved_by.meeting.date,
        },
    )


def minutes_publish(*, actor: ActorArg, meeting: Meeting, at: dt.datetime | None = None) -> Meeting:
    """Publish approved minutes: only now is the memorandum public; the members are told
    (`mail.minutes_published_queue`)."""
    return _step(
        actor=actor,
        meeting=meeting,
        target=MeetingStatus.PUBLISHED,
        fields={"published_at": at or timezone.now()},
        mail_queue=mail.minutes_published_queue,
    )


def meeting_record_published(*, actor: ActorArg, meeting: Meeting) -> Meeting:
    """A meeting held before urbis recorded it, entered after the fact with its decisions and
    minutes published elsewhere: recorded as published in one step. Recording it again
    changes nothing."""
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.status == MeetingStatus.PUBLISHED:
            return locked
        before = {"status": locked.status}
        locked.status = MeetingStatus.PUBLISHED
        locked.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="meeting.record_published",
            target=locked,
            before=before,
            after={"status": locked.status},
        )
    meeting.refresh_from_db()
    return meeting


def erratum_record(
    *, actor: ActorArg, meeting: Meeting, on: dt.date, subject: str, correction: str, reason: str
) -> Erratum:
    """Correct a concluded meeting's record: dated, reasoned, audited, shown in the
    memorandum. A meeting still open is corrected by editing it."""
    if meeting.status not in rules.CLOSED_STATUSES:
        raise ValidationError(
            {"meeting": f"{meeting} is not concluded: correct its record directly."}
        )
    missing = {
        name: "This field is required."
        for name, value in (("subject", subject), ("correction", correction), ("reason", reason))
        if not value.strip()
    }
    if missing:
        raise ValidationError(missing)
    if on < meeting.date:
        raise ValidationError({"on": f"An erratum cannot precede the meeting ({meeting.date})."})
    with transaction.atomic():
        erratum = Erratum.objects.create(
            meeting=meeting,
            on=on,
            subject=subject.strip(),
            correction=correction.strip(),
            reason=reason.strip(),
            recorded_by=user_of(actor),
        )
        audit_record(
            actor=actor,
            action="meeting.erratum",
            target=erratum,
            after={
                "meeting": meeting.pk,
                "on": on.isoformat(),
                "subject": erratum.subject,
                "correction": erratum.correction,
                "reason": erratum.reason,
            },
        )
    return erratum
