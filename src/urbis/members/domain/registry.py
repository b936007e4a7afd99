"""Writes to the registry. Each function runs in one transaction and leaves an audit record."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from urbis.common.actor import Actor, ActorKind, as_actor
from urbis.common.audit import audit_record, snapshot
from urbis.common.errors import Conflict
from urbis.common.roles import is_secretariat
from urbis.members import rules
from urbis.members.models import Contact, LifecycleEvent, Organisation, Participation
from urbis.members.rules import EventKind, bounds

# The profile fields, in the order the form shows them.
ORGANISATION_FIELD_ORDER = (
    "name",
    "official_name",
    "aliases",
    "category",
    "country",
    "city",
    "population",
    "population_year",
    "founding_member",
    "institution_type",
    "corporate_category",
    "employees",
    "website",
    "description",
)
ORGANISATION_FIELDS = frozenset(ORGANISATION_FIELD_ORDER)
# What a member's focal point may change on its own member's profile.
FOCAL_POINT_FIELDS = frozenset({"official_name", "website", "description", "employees"})
# Contact fields that hand out sign-in rights: the secretariat's alone.
CONTACT_SECRETARIAT_ONLY_FIELDS = frozenset({"is_focal_point", "user", "user_id"})


# Words the members URLs use as fixed path segments: an organisation may not take them.
RESERVED_SLUGS = frozenset(
    {
        "new",
        "mine",
        "counts",
        "import",
        "export",
        "dues",
        "review",
        "reports",
        "api",
        "apply",
        "applications",
    }
)


def unique_slug(name: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(name, allow_unicode=False)[:180] or "organisation"
    slug, n = base, 2
    if slug in RESERVED_SLUGS:
        slug = f"{base}-{n}"
        n += 1
    others = Organisation.objects.all()
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    while others.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _check_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - ORGANISATION_FIELDS
    if unknown:
        raise ValidationError({name: "Unknown field." for name in sorted(unknown)})
    for name in ("name", "official_name", "city"):
        if isinstance(fields.get(name), str):
            fields[name] = bounds.normalise_name(fields[name])
    country = fields.get("country")
    # A country is an ISO 3166 code; django-countries reads any Unicode digit as a numeric
    # code and fails on "²", so such a value is refused here, before the model reads it.
    if isinstance(country, str) and country and not (country.isascii() and country.isalnum()):
        raise ValidationError({"country": "Use a two-letter ISO 3166 country code."})


def _check_bounds(org: Organisation) -> None:
    problem = bounds.population_year_problem(org.population_year, today=timezone.localdate())
    if problem:
        raise ValidationError({"population_year": problem})


def _lock_name(name: str) -> None:
    """Serialise the writers of one organisation name until the transaction ends, so that
    the duplicate check below sees a concurrent creation of the same name.

    PostgreSQL: a transaction-scoped advisory lock on the name's hash. SQLite: any write
    takes the database's write lock, which an empty UPDATE does at once.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended(%s, 19))", [name.casefold()]
            )
    else:
        Organisation.objects.filter(pk__in=[]).update(name="")


def _refuse_duplicate_name(name: str, *, exclude_pk: int | None = None) -> None:
    others = Organisation.objects.filter(name__iexact=name)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    existing = others.values_list("slug", flat=True).first()
    if existing is not None:
        raise Conflict({"name": f"An organisation named '{name}' already exists ({existing})."})


def may_change_every_field(actor: Actor | None) -> bool:
    """The secretariat and the system change any field; a focal point only its own. This
    is the registry's own invariant (which fields, not whether the caller may write at all,
    which the edge checked with `members.change_organisation`)."""
    found = as_actor(actor)
    return found.kind is ActorKind.SYSTEM or is_secretariat(found.user)


def organisation_create(*, actor: Actor | None, slug: str = "", **fields: Any) -> Organisation:
    """Create an organisation; validation errors name the field."""
    _check_fields(fields)
    with transaction.atomic():
        if slug in RESERVED_SLUGS:
            raise ValidationError({"slug": f"'{slug}' is reserved by the site's addresses."})
        org = Organisation(**fields)
        org.slug = slug or unique_slug(org.name or "")
        # Uniqueness is checked only once the name is locked: checked before, a creation of
        # the same name committing in between made it a 422 on the slug instead of a 409.
        org.full_clean(validate_unique=False, validate_constraints=False)
        _check_bounds(org)
        _lock_name(org.name)
        _refuse_duplicate_name(org.name)
        if slug == "":
            org.slug = unique_slug(org.name)  # again, now that the name is ours
        org.validate_unique()
        org.validate_constraints()
        try:
            with transaction.atomic():
                org.save()
        except IntegrityError as exc:
            raise Conflict({"slug": f"The address '{org.slug}' is already taken."}) from exc
        audit_record(actor=actor, action="organisation.create", target=org, after=snapshot(org))
    return org


def organisation_update(
    *, actor: Actor | None, organisation: Organisation, **fields: Any
) -> Organisation:
    """Change an organisation's profile. Focal points may change only FOCAL_POINT_FIELDS.

    The system (data loaders, management commands) and the secretariat may change every
    field; the edge has already checked that the actor may change this organisation.
    """
    _check_fields(fields)
    if not may_change_every_field(actor):
        forbidden = set(fields) - FOCAL_POINT_FIELDS
        if forbidden:
            raise PermissionDenied("A focal point may not change: " + ", ".join(sorted(forbidden)))
    with transaction.atomic():
        org = Organisation.objects.select_for_update().get(pk=organisation.pk)
        before = snapshot(org)
        for name, value in fields.items():
            setattr(org, name, value)
        org.full_clean()
        _check_bounds(org)
        if "name" in fields and org.name.casefold() != before["name"].casefold():
            _lock_name(org.name)
            _refuse_duplicate_name(org.name, exclude_pk=org.pk)
        org.save()
        after = snapshot(org)
        if before != after:
            audit_record(
                actor=actor, action="organisation.update", target=org, before=before, after=after
            )
    return org


def lifecycle_record(
    *,
    actor: Actor | None,
    organisation: Organisation,
    kind: str,
    date: dt.date,
    reason: str = "",
    decision_ref: str = "",
    date_precision: str = LifecycleEvent.Precision.DAY,
    letter: str = "",
    evidence: dict[str, Any] | None = None,
) -> LifecycleEvent:
    """Append a lifecycle event, refusing one the lifecycle does not allow.

    The organisation row is locked so that two concurrent transitions are serialised and
    the whole log (including an event dated in the past) is re-validated.
    """
    try:
        event_kind = EventKind(kind)
    except ValueError as exc:
        raise ValidationError({"kind": f"Unknown lifecycle event '{kind}'."}) from exc
    problem = bounds.lifecycle_date_problem(date, today=timezone.localdate())
    if problem:
        raise ValidationError({"date": problem})
    with transaction.atomic():
        org = Organisation.objects.select_for_update().get(pk=organisation.pk)
        existing = list(org.lifecycle_events.order_by("date", "id"))
        if any(e.kind == event_kind and e.date == date for e in existing):
            raise ValidationError(
                {"date": f"{org.name} already has a '{event_kind.value}' event on {date}."}
            )
        steps = [rules.Step(on=e.date, kind=EventKind(e.kind)) for e in existing]
        steps.append(rules.Step(on=date, kind=event_kind))
        steps.sort(key=lambda s: s.on)  # stable: same-day events keep their recording order
        try:
            rules.fold(steps)
        except rules.TransitionError as exc:
            raise ValidationError({"kind": str(exc)}) from exc
        event = LifecycleEvent(
            organisation=org,
            kind=event_kind.value,
            date=date,
            reason=reason,
            decision_ref=decision_ref,
            date_precision=date_precision,
            letter=letter,
            evidence=evidence or {},
            recorded_by=as_actor(actor).user,
        )
        event.full_clean(exclude=["organisation"])
        event.save()
        audit_record(
            actor=actor,
            action=f"lifecycle.{event_kind.value}",
            target=org,
            after={
                "kind": event_kind.value,
                "date": date,
                "reason": reason,
                "decision_ref": decision_ref,
            },
        )
    return event


def participation_record(
    *,
    actor: Actor | None,
    organisation: Organisation,
    date: dt.date,
    activity: str,
    kind: str = Participation.Kind.EVENT,
    notes: str = "",
) -> Participation:
    """Record that an organisation took part in an activity (idempotent on org+activity+date).

    The row is checked before it is written: checked after, a kind the model does not know
    (or one longer than its column) reached the database, a 500 on PostgreSQL."""
    Participation(
        organisation=organisation, activity=activity, date=date, kind=kind, notes=notes
    ).full_clean(validate_unique=False, validate_constraints=False)
    with transaction.atomic():
        part, created = Participation.objects.get_or_create(
            organisation=organisation,
            activity=activity,
            date=date,
            defaults={"kind": kind, "notes": notes},
        )
        if created:
            audit_record(
                actor=actor,
                action="participation.record",
                target=organisation,
                after={"activity": activity, "date": date, "kind": kind},
            )
    return part


def contact_save(
    *,
    actor: Actor | None,
    organisation: Organisation,
    contact: Contact | None = None,
    **fields: Any,
) -> Contact:
    """Create or change a contact of an organisation.

    Only the secretariat may grant sign-in rights (the focal point flag, the linked user).
    """
    if not may_change_every_field(actor):
        forbidden = set(fields) & CONTACT_SECRETARIAT_ONLY_FIELDS
        if forbidden:
            raise PermissionDenied("A focal point may not change: " + ", ".join(sorted(forbidden)))
    with transaction.atomic():
        if contact is None:
            contact = Contact(organisation=organisation)
            before = None
        else:
            contact = Contact.objects.select_for_update().get(
                pk=contact.pk, organisation=organisation
            )
            before = snapshot(contact)
        for name, value in fields.items():
            setattr(contact, name, value)
        contact.full_clean()
        contact.save()
        audit_record(
            actor=actor,
            action="contact.save",
            target=contact,
            before=before,
            after=snapshot(contact),
        )
    return contact
