"""Registering delegates, signing them up for sessions, approving and checking them in.

Each function runs in one transaction and leaves an audit record. Who may call it is checked
at the edge (`events.permissions`, through `common.actor`); what stays here are the domain's
own rules. Validation errors name the field they are about.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from urbis.common.actor import ActorArg, as_actor, user_of
from urbis.common.audit import audit_record, snapshot
from urbis.events import hooks, mail, rules
from urbis.events.models import (
    AirportTransfer,
    Attendance,
    CheckIn,
    Event,
    Registration,
    RegistrationStatus,
    Session,
    SessionSignup,
)
from urbis.members import domain as members_domain
from urbis.members.models import Organisation, Participation

LIVE_STATUSES = (RegistrationStatus.PENDING, RegistrationStatus.APPROVED)


def _unique_code() -> str:
    while True:
        code = rules.new_code()
        if not Registration.objects.filter(code=code).exists():
            return code


def _check_capacity(session: Session) -> None:
    taken = SessionSignup.objects.filter(
        session=session, registration__status__in=LIVE_STATUSES
    ).count()
    if rules.is_full(session.capacity, taken):
        raise ValidationError(
            {"sessions": f"“{session.title}” is full: {taken} of {session.capacity} places taken."}
        )


def registration_create(
    *,
    actor: ActorArg,
    event: Event,
    organisation: Organisation | None,
    person_name: str,
    position: str = "",
    email: str = "",
    attendance: str = Attendance.ON_SITE,
    mayoral_level: bool = False,
    head_of_delegation: bool = False,
    hotel: str = "",
    dietary_needs: str = "",
    airport_transfer: str = AirportTransfer.NONE,
    sessions: Iterable[Session] = (),
    synthetic: bool = False,
) -> Registration:
    """Register a delegate of `organisation` for `event`, with session sign-ups.

    The secretariat registers anyone and its registrations are approved at once; a focal
    point registers only its own member's delegates, and they wait for approval. The same
    person (name folded by `rules.person_key`) of the same organisation, or the same e-mail,
    cannot be registered twice to one event. Full sessions refuse the whole registration.
    """
    errors: dict[str, list[str]] = {}

    def err(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if organisation is None:
        err("organisation", "Choose the organisation the delegate represents.")
    # The secretariat (the one who approves) registers late arrivals, approved at once.
    staff = as_actor(actor).has_perm("events.approve_registration")
    refusal = rules.registration_refusal(
        event_name=event.name,
        switched_on=event.registration_open,
        opens_at=event.registration_opens_at,
        closes_at=event.registration_closes_at,
        now=timezone.now(),
        zone=event.time_zone,
    )
    if refusal and not staff:  # the secretariat still registers late and on-site arrivals
        err("__all__", refusal)
    name = " ".join(person_name.split())
    if not name:
        err("person_name", "Enter the delegate's name.")
    if attendance not in Attendance.values:
        err("attendance", f"Choose on-site or online (got '{attendance}').")
    if airport_transfer not in AirportTransfer.values:
        err("airport_transfer", f"Unknown airport transfer '{airport_transfer}'.")
    if attendance == Attendance.ONLINE and airport_transfer != AirportTransfer.NONE:
        err("airport_transfer", "An online delegate needs no airport transfer.")
    session_list = list(sessions)
    for s in session_list:
        if s.event_id != event.pk:
            err("sessions", f"“{s.title}” is not part of {event.name}.")
    key = rules.person_key(name)
    if organisation is not None and name:
        clash = Registration.objects.filter(
            event=event, organisation=organisation, person_key=key
        ).first()
        if clash is not None:
            err(
                "person_name",
                f"{clash.person_name} of {organisation.name} is already registered for "
                f"{event.name} ({clash.get_status_display().lower()}).",
            )
    if email and Registration.objects.filter(event=event, email__iexact=email).exists():
        err("email", f"{email} is already registered for {event.name}.")
    if errors:
        raise ValidationError(errors)
    assert organisation is not None
    try:
        with transaction.atomic():
            reg = Registration(
                event=event,
                organisation=organisation,
                person_name=name,
                person_key=key,
                position=position.strip(),
                email=email.strip().lower(),
                attendance=attendance,
                mayoral_level=mayoral_level,
                head_of_delegation=head_of_delegation,
                hotel=hotel.strip(),
                dietary_needs=dietary_needs.strip(),
                airport_transfer=airport_transfer,
                synthetic=synthetic,
                code=_unique_code(),
                registered_by=user_of(actor),
            )
            if staff:
                reg.status = RegistrationStatus.APPROVED
                reg.approved_by = user_of(actor)
                reg.approved_at = timezone.now()
            reg.full_clean(validate_unique=False, validate_constraints=False)
            reg.save()
            audit_record(actor=actor, action="registration.create", target=reg, after=snapshot(reg))
            for s in session_list:
                _signup(actor=actor, registration=reg, session=s)
            if not synthetic:
                mail.registration_mail_queue(
                    registration=reg, what="approved" if staff else "received", actor=actor
                )
    except IntegrityError as exc:  # a concurrent duplicate slipped past the checks above
        raise ValidationError(
            {"person_name": f"{name} of {organisation.name} is already registered."}
        ) from exc
    return reg


def _signup(*, actor: ActorArg, registration: Registration, session: Session) -> SessionSignup:
    locked = Session.objects.select_for_update().get(pk=session.pk)
    existing = SessionSignup.objects.filter(registration=registration, session=locked).first()
    if existing is not None:
        return existing
    _check_capacity(locked)
    signup = SessionSignup.objects.create(registration=registration, session=locked)
    audit_record(
        actor=actor,
        action="registration.signup",
        target=registration,
        after={"session": locked.pk, "title": locked.title},
    )
    return signup


def session_signup(
    *, actor: ActorArg, registration: Registration, session: Session
) -> SessionSignup:
    """Sign a delegate up for a session; refused when full. Signing up twice is harmless."""
    if session.event_id != registration.event_id:
        raise ValidationError({"sessions": f"“{session.title}” is not part of this event."})
    if registration.status not in LIVE_STATUSES:
        raise ValidationError({"sessions": "The registration is no longer active."})
    with transaction.atomic():
        return _signup(actor=actor, registration=registration, session=session)


def _set_status(
    *,
    actor: ActorArg,
    registration: Registration,
    status: str,
    allowed_from: tuple[str, ...],
    mail_what: str = "",
    reason: str = "",
) -> Registration:
    with transaction.atomic():
        reg = Registration.objects.select_for_update().get(pk=registration.pk)
        if reg.status == status:
            return reg
        if reg.status not in allowed_from:
            raise ValidationError(
                {
                    "status": f"A registration that is {reg.get_status_display().lower()} "
                    f"cannot become {RegistrationStatus(status).label.lower()}."
                }
            )
        before = {"status": reg.status}
        reg.status = status
        if status == RegistrationStatus.APPROVED:
            reg.approved_by = user_of(actor)
            reg.approved_at = timezone.now()
        reg.save()
        after = {"status": status, **({"reason": reason} if reason else {})}
        audit_record(
            actor=actor, action=f"registration.{status}", target=reg, before=before, after=after
        )
        if mail_what and not reg.synthetic:
            mail.registration_mail_queue(
                registration=reg, what=mail_what, actor=actor, reason=reason
            )
    return reg


def registration_approve(*, actor: ActorArg, registration: Registration) -> Registration:
    """The secretariat approves a pending registration (approving twice changes nothing)."""
    return _set_status(
        actor=actor,
        registration=registration,
        status=RegistrationStatus.APPROVED,
        allowed_from=(RegistrationStatus.PENDING,),
        mail_what="approved",
    )


def registration_reject(
    *, actor: ActorArg, registration: Registration, reason: str
) -> Registration:
    """The secretariat turns a pending registration down, with the reason the delegate and
    their focal point are sent."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the registration is not accepted."})
    if len(reason) > 1000:
        raise ValidationError({"reason": "At most 1,000 characters."})
    return _set_status(
        actor=actor,
        registration=registration,
        status=RegistrationStatus.REJECTED,
        allowed_from=(RegistrationStatus.PENDING,),
        mail_what="rejected",
        reason=reason,
    )


def registration_cancel(*, actor: ActorArg, registration: Registration) -> Registration:
    """Cancel a registration; its sign-ups stop taking places."""
    return _set_status(
        actor=actor,
        registration=registration,
        status=RegistrationStatus.CANCELLED,
        allowed_from=(RegistrationStatus.PENDING, RegistrationStatus.APPROVED),
    )


def local_date(event: Event, at: dt.datetime) -> dt.date:
    return at.astimezone(ZoneInfo(event.time_zone)).date()


def checkin_record(
    *,
    actor: ActorArg,
    code: str,
    event: Event | None = None,
    day: dt.date | None = None,
    method: str = CheckIn.Method.SCAN,
    at: dt.datetime | None = None,
) -> tuple[CheckIn, bool]:
    """Check a delegate in by badge code (scanned payload or typed) for a day of the event.

    `event`, when given, is the event whose desk scanned it: a badge of another event is
    refused. Returns (check-in, created). Checking in twice on the same day is harmless: the first
    check-in stands, nothing new is written. The first check-in of an organisation's
    delegate on a day also enters the members' participation log (which the status review
    reads), once per organisation, event and day.
    """
    if method not in CheckIn.Method.values:
        raise ValidationError({"method": f"Unknown check-in method '{method}'."})
    parsed = rules.parse_code(code)
    if not parsed:
        raise ValidationError({"code": "Scan a badge or type its code."})
    moment = at or timezone.now()
    with transaction.atomic():
        reg = (
            Registration.objects.select_for_update()
            .select_related("event", "organisation")
            .filter(code=parsed)
            .first()
        )
        if reg is None:
            raise ValidationError({"code": f"No badge has the code {rules.format_code(parsed)}."})
        if event is not None and reg.event_id != event.pk:
            # The desk of one event does not admit to another (the page's as the API's).
            raise ValidationError({"code": "This badge belongs to another event."})
        if reg.status != RegistrationStatus.APPROVED:
            raise ValidationError(
                {"code": f"{reg.person_name}'s registration is {reg.get_status_display().lower()}."}
            )
        event = reg.event
        on = day or local_date(event, moment)
        if not event.starts_on <= on <= event.ends_on:
            raise ValidationError(
                {
                    "day": f"{on} is not a day of {event.name} "
                    f"({event.starts_on} to {event.ends_on})."
                }
            )
        checkin, created = CheckIn.objects.get_or_create(
            registration=reg,
            day=on,
            defaults={"at": moment, "method": method, "recorded_by": user_of(actor)},
        )
        if created:
            audit_record(
                actor=actor,
                action="registration.checkin",
                target=reg,
                after={"day": on, "method": method},
            )
            members_domain.participation_record(
                actor=as_actor(actor),
                organisation=reg.organisation,
                date=on,
                activity=event.name,
                kind=Participation.Kind.EVENT,
            )
            hooks.check_in_notify(actor=actor, checkin=checkin)
    return checkin, created
