"""Applications for membership: submitted by anyone through the public form, checked by the
secretariat, put to the EXCOM, and approved by its decision (Art. 7: the Executive Committee
admits members) or rejected.

members imports no governance: the EXCOM agenda item carries the application's reference
(`MembershipApplication.agenda_reference` in its `membership_review_ref`), governance puts
it there through the placer it registers (`application_agenda_placer_register`, from its
AppConfig), and when the item is decided it calls `application_decide_for_decision` inside
the decision's transaction, so the approval and the decision stand or fall together."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from urbis.common.audit import audit_record, snapshot
from urbis.common.roles import FOCAL_POINT
from urbis.members.domain.registry import lifecycle_record, organisation_create
from urbis.members.models import (
    AGENDA_PREFIX,
    MEMBER_CATEGORIES,
    Contact,
    MembershipApplication,
    Organisation,
)
from urbis.members.rules import EventKind
from urbis.messaging.domain.accounts import user_invite

Status = MembershipApplication.Status
OPEN = (Status.SUBMITTED, Status.CHECKED, Status.ON_AGENDA)
MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
# What an applicant fills in, in the order the public form asks it.
APPLICATION_FIELDS = (
    "name",
    "official_name",
    "category",
    "institution_type",
    "corporate_category",
    "employees",
    "country",
    "city",
    "website",
    "motivation",
    "contact_name",
    "contact_position",
    "contact_email",
    "contact_phone",
    "other_contact_name",
    "other_contact_email",
    "consent_statutes",
)

# (actor, meeting key, title, agenda reference) -> the agenda item's label, e.g.
# "EXCOM 14, agenda 3"; and () -> the meetings it can go to, as (key, label).
AgendaPlacer = Callable[..., str]
AgendaMeetings = Callable[[], list[tuple[str, str]]]
_PLACER: dict[str, Any] = {}


def application_agenda_placer_register(*, place: AgendaPlacer, meetings: AgendaMeetings) -> None:
    """The app that keeps meetings says how an application is put on an EXCOM agenda."""
    _PLACER["place"] = place
    _PLACER["meetings"] = meetings


def application_agenda_meetings() -> list[tuple[str, str]]:
    meetings = _PLACER.get("meetings")
    return meetings() if meetings else []


def _snapshot(application: MembershipApplication) -> dict[str, Any]:
    names = [
        f.attname
        for f in MembershipApplication._meta.concrete_fields
        if f.attname not in {"id", "document", "submitted_at"}
    ]
    return {**snapshot(application, names), "document": application.document.name or ""}


def application_submit(
    *, actor: Any, document: UploadedFile | None = None, **fields: Any
) -> MembershipApplication:
    """Record an application sent through the public form. The statutes must be accepted,
    the category must be one of members, and an organisation already in the registry or
    already applying is told so."""
    unknown = set(fields) - set(APPLICATION_FIELDS)
    if unknown:
        raise ValidationError({name: "Unknown field." for name in sorted(unknown)})
    if fields.get("consent_statutes") is not True:
        raise ValidationError({"consent_statutes": "Accept the statutes to apply."})
    if fields.get("category") not in MEMBER_CATEGORIES:
        raise ValidationError({"category": "A local government, institution or corporation."})
    if document is not None:
        if not (document.name or "").lower().endswith(".pdf"):
            raise ValidationError({"document": "The letter must be a PDF file."})
        if (document.size or 0) > MAX_DOCUMENT_BYTES:
            raise ValidationError({"document": "At most 5 MB."})
    name = str(fields.get("name", "")).strip()
    fields["name"] = name
    with transaction.atomic():
        if Organisation.objects.filter(name__iexact=name).exists():
            raise ValidationError(
                {"name": f"{name} is already in the registry: write to the secretariat."}
            )
        if MembershipApplication.objects.filter(name__iexact=name, status__in=OPEN).exists():
            raise ValidationError({"name": f"{name} has already applied; it is being reviewed."})
        application = MembershipApplication(reference="", **fields)
        application.reference = uuid.uuid4().hex[:20]  # until the row has its id
        application.full_clean(exclude=["reference", "document"])
        application.save()
        application.reference = f"APP-{timezone.localdate().year}-{application.pk:05d}"
        if document is not None:
            application.document.save(document.name or "letter.pdf", document, save=False)
        application.save(update_fields=["reference", "document"])
        audit_record(
            actor=actor,
            action="membership_application.submit",
            target=application,
            after=_snapshot(application),
        )
    return application


def _update(
    application: MembershipApplication,
    *,
    actor: Any,
    action: str,
    allowed: tuple[str, ...],
    **fields: Any,
) -> MembershipApplication:
    with transaction.atomic():
        row = MembershipApplication.objects.select_for_update().get(pk=application.pk)
        if row.status not in allowed:
            raise ValidationError(
                {"status": f"{row.reference} is {row.get_status_display().lower()}."}
            )
        before = _snapshot(row)
        for name, value in fields.items():
            setattr(row, name, value)
        row.save()
        audit_record(actor=actor, action=action, target=row, before=before, after=_snapshot(row))
    return row


def application_check(
    *, actor: Any, application: MembershipApplication, note: str = ""
) -> MembershipApplication:
    """The secretariat has checked the application (documents, category, eligibility)."""
    return _update(
        application,
        actor=actor,
        action="membership_application.check",
        allowed=(Status.SUBMITTED, Status.CHECKED),
        status=Status.CHECKED,
        check_note=note.strip()[:2000],
    )


def application_reject(
    *, actor: Any, application: MembershipApplication, reason: str
) -> MembershipApplication:
    """Refuse an application before the EXCOM decides it (e.g. not eligible), with a reason."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the application is rejected."})
    return _update(
        application,
        actor=actor,
        action="membership_application.reject",
        allowed=(Status.SUBMITTED, Status.CHECKED),
        status=Status.REJECTED,
        rejection_reason=reason.strip()[:2000],
    )


def application_put_on_agenda(
    *, actor: Any, application: MembershipApplication, meeting: str
) -> MembershipApplication:
    """Put a checked application on an EXCOM meeting's agenda, in one transaction with the
    agenda item the meetings' app writes."""
    place = _PLACER.get("place")
    if place is None:
        raise ValidationError({"meeting": "No meeting can take the application."})
    with transaction.atomic():
        row = MembershipApplication.objects.select_for_update().get(pk=application.pk)
        if row.status != Status.CHECKED:
            raise ValidationError(
                {
                    "status": "Only a checked application goes to the EXCOM"
                    f" ({row.reference} is {row.get_status_display().lower()})."
                }
            )
        label = place(
            actor=actor,
            meeting=meeting,
            title=f"Admission of {row.name} ({row.get_category_display().lower()})",
            reference=row.agenda_reference,
        )
        return _update(
            row,
            actor=actor,
            action="membership_application.agenda",
            allowed=(Status.CHECKED,),
            status=Status.ON_AGENDA,
            agenda=label[:200],
        )


def _focal_point_user(*, actor: Any, application: MembershipApplication) -> Any:
    """The applicant's contact as a focal point: invited (an account and a mail through the
    outbox) or, when the address already has an account, that account given the role."""
    email = application.contact_email.strip().lower()
    existing = get_user_model().objects.filter(email__iexact=email).first()
    if existing is None:
        user, _message = user_invite(
            email=email, name=application.contact_name, as_="focal point", actor=actor
        )
        return user
    existing.groups.add(Group.objects.get_or_create(name=FOCAL_POINT)[0])
    return existing


def application_decide_for_decision(
    *, actor: Any, reference: str, decision_ref: str, decided_on: dt.date, adopted: bool
) -> MembershipApplication | None:
    """The EXCOM decided the agenda item carrying `reference` ("application:APP-…"). Called
    inside the decision's transaction. Adopted: the organisation is entered in the registry
    with its lifecycle (applied on the day it applied, approved on the decision's date,
    citing the decision), its contact becomes the focal point and is invited. Not adopted:
    the application is rejected, citing the decision. A refusal rolls the decision back."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("decide an application inside the decision's transaction")
    if not reference.startswith(AGENDA_PREFIX):
        return None
    code = reference.removeprefix(AGENDA_PREFIX)
    row = MembershipApplication.objects.select_for_update().filter(reference=code).first()
    if row is None:
        raise ValidationError({"membership_review_ref": f"No application {code}."})
    if row.status != Status.ON_AGENDA:
        raise ValidationError(
            {"membership_review_ref": f"{code} is {row.get_status_display().lower()}."}
        )
    if not adopted:
        return _update(
            row,
            actor=actor,
            action="membership_application.reject",
            allowed=(Status.ON_AGENDA,),
            status=Status.REJECTED,
            decision_ref=decision_ref,
            decided_on=decided_on,
            rejection_reason=f"Not adopted: {decision_ref}.",
        )
    organisation = organisation_create(
        actor=actor,
        name=row.name,
        official_name=row.official_name,
        category=row.category,
        institution_type=row.institution_type,
        corporate_category=row.corporate_category,
        employees=row.employees,
        country=row.country,
        city=row.city,
        website=row.website,
    )
    applied_on = timezone.localdate(row.submitted_at)
    lifecycle_record(
        actor=actor,
        organisation=organisation,
        kind=EventKind.APPLIED,
        date=min(applied_on, decided_on),
        reason=f"Application {row.reference}",
    )
    lifecycle_record(
        actor=actor,
        organisation=organisation,
        kind=EventKind.APPROVED,
        date=decided_on,
        reason=f"Admitted by the EXCOM (application {row.reference})",
        decision_ref=decision_ref,
    )
    user = _focal_point_user(actor=actor, application=row)
    contacts = [
        Contact(
            organisation=organisation,
            name=row.contact_name,
            position=row.contact_position,
            email=row.contact_email,
            phone=row.contact_phone,
            is_focal_point=True,
            user=user,
        )
    ]
    if row.other_contact_name:
        contacts.append(
            Contact(
                organisation=organisation,
                name=row.other_contact_name,
                email=row.other_contact_email,
            )
        )
    for contact in contacts:
        contact.full_clean()
        contact.save()
        audit_record(actor=actor, action="contact.create", target=contact, after=snapshot(contact))
    return _update(
        row,
        actor=actor,
        action="membership_application.approve",
        allowed=(Status.ON_AGENDA,),
        status=Status.APPROVED,
        decision_ref=decision_ref,
        decided_on=decided_on,
        organisation=organisation,
    )
