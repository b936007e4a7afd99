"""Attendance follows the delegations live: a badge check-in at the event, on the day of a
session that is a meeting, enters the member's delegate in the meeting's register at once,
in the transaction of the check-in (registered with `events.hooks` by the AppConfig)."""

from __future__ import annotations

from urbis.common.actor import ActorArg
from urbis.events.models import CheckIn as BadgeCheckIn
from urbis.governance import rules
from urbis.governance.domain.attendance import attendance_check_in, delegate_accredit
from urbis.governance.models import Delegate, Meeting


def on_badge_check_in(*, actor: ActorArg, checkin: BadgeCheckIn) -> None:
    """For each open meeting sitting in a session of the check-in's event on its day: the
    person is accredited for the member (head of delegation when the registration says so;
    otherwise a delegate, and the first to arrive represents the member until the head
    does) and checked in with the badge's time and the registration's attendance mode.
    A concluded meeting's record is left alone: the badge check-in still stands."""
    reg = checkin.registration
    meetings = Meeting.objects.filter(
        session__event_id=reg.event_id, session__day=checkin.day
    ).exclude(status__in=sorted(rules.CLOSED_STATUSES))
    for meeting in meetings:
        delegate = Delegate.objects.filter(
            meeting=meeting,
            organisation_id=reg.organisation_id,
            name=reg.person_name,
            position=reg.position,
        ).first()
        if delegate is None:
            has_head = Delegate.objects.filter(
                meeting=meeting, organisation_id=reg.organisation_id, role=Delegate.Role.HEAD
            ).exists()
            role = (
                Delegate.Role.HEAD
                if reg.head_of_delegation and not has_head
                else Delegate.Role.MEMBER
            )
            delegate = delegate_accredit(
                actor=actor,
                meeting=meeting,
                organisation=reg.organisation,
                name=reg.person_name,
                position=reg.position,
                role=role,
                mode=reg.attendance,
                mayoral_level=reg.mayoral_level,
                email=reg.email,
            )
        attendance_check_in(
            actor=actor, delegate=delegate, mode=reg.attendance, at=checkin.at, source="event"
        )
