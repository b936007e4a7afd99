"""Writing the programme: events, venues, sessions (with people and pick-up places), sponsors.

Each function upserts by a natural key, so loading the same programme twice changes nothing;
a change leaves an audit record with the fields before and after.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import models, transaction

from urbis.common.audit import audit_record, snapshot
from urbis.events.domain.registration import _require_staff
from urbis.events.models import Event, PickupPlace, Session, SessionPerson, Sponsor, Venue


def _normalise(value: Any) -> Any:
    """Aware datetimes in UTC, as the database returns them, so that re-saving compares equal."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC)
    return value


def _upsert(
    *, actor: Any, model: type[models.Model], keys: dict[str, Any], fields: dict[str, Any]
) -> Any:
    fields = {name: _normalise(value) for name, value in fields.items()}
    obj = model._default_manager.select_for_update().filter(**keys).first()
    if obj is None:
        obj = model(**keys, **fields)
        obj.full_clean(validate_unique=False, validate_constraints=False)
        obj.save()
        audit_record(
            actor=actor,
            action=f"{model._meta.model_name}.create",
            target=obj,
            after=snapshot(obj),
        )
        return obj
    before = snapshot(obj)
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.full_clean(validate_unique=False, validate_constraints=False)
    after = snapshot(obj)
    if before != after:
        obj.save()
        audit_record(
            actor=actor,
            action=f"{model._meta.model_name}.update",
            target=obj,
            before=before,
            after=after,
        )
    return obj


def event_save(*, actor: Any, slug: str, **fields: Any) -> Event:
    """Create or change an event identified by its slug."""
    _require_staff(actor, "change the programme")
    with transaction.atomic():
        event: Event = _upsert(actor=actor, model=Event, keys={"slug": slug}, fields=fields)
    return event


def venue_save(*, actor: Any, name: str, address: str = "", **fields: Any) -> Venue:
    """Create or change a venue identified by its name and address."""
    _require_staff(actor, "change the programme")
    with transaction.atomic():
        venue: Venue = _upsert(
            actor=actor, model=Venue, keys={"name": name, "address": address}, fields=fields
        )
    return venue


def session_save(
    *,
    actor: Any,
    event: Event,
    day: dt.date,
    title: str,
    people: Sequence[dict[str, Any]] | None = None,
    pickup_places: Sequence[dict[str, Any]] | None = None,
    **fields: Any,
) -> Session:
    """Create or change a session identified by (event, day, title).

    `people` (dicts with role, name, position, organisation) and `pickup_places` (name,
    address), when given, replace the session's lists; their order is kept.
    """
    _require_staff(actor, "change the programme")
    with transaction.atomic():
        session: Session = _upsert(
            actor=actor,
            model=Session,
            keys={"event": event, "day": day, "title": title},
            fields=fields,
        )
        if people is not None:
            wanted = []
            for order, person in enumerate(people):
                p = _upsert(
                    actor=actor,
                    model=SessionPerson,
                    keys={"session": session, "name": person["name"], "role": person["role"]},
                    fields={
                        "position": person.get("position", ""),
                        "organisation": person.get("organisation"),
                        "order": order,
                    },
                )
                wanted.append(p.pk)
            session.people.exclude(pk__in=wanted).delete()
        if pickup_places is not None:
            wanted = []
            for order, place in enumerate(pickup_places):
                pp = _upsert(
                    actor=actor,
                    model=PickupPlace,
                    keys={"session": session, "name": place["name"]},
                    fields={"address": place.get("address", ""), "order": order},
                )
                wanted.append(pp.pk)
            session.pickup_places.exclude(pk__in=wanted).delete()
    return session


def sponsor_save(*, actor: Any, event: Event, name: str, **fields: Any) -> Sponsor:
    """Create or change a sponsor of an event, identified by its name."""
    _require_staff(actor, "change the programme")
    with transaction.atomic():
        sponsor: Sponsor = _upsert(
            actor=actor, model=Sponsor, keys={"event": event, "name": name}, fields=fields
        )
    return sponsor
