"""Writing the programme: events, venues, sessions (with people and pick-up places), sponsors.

Each function upserts by a natural key (`common.audit.audited_save`), so loading the same
programme twice changes nothing; a change leaves an audit record with the fields before and
after.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction

from urbis.common.actor import ActorArg
from urbis.common.audit import audited_save
from urbis.events.models import Event, PickupPlace, Session, SessionPerson, Sponsor, Venue


def event_save(*, actor: ActorArg, slug: str, **fields: Any) -> Event:
    """Create or change an event identified by its slug."""
    with transaction.atomic():
        event = audited_save(Event, actor=actor, keys={"slug": slug}, fields=fields).obj
    return event


def venue_save(*, actor: ActorArg, name: str, address: str = "", **fields: Any) -> Venue:
    """Create or change a venue identified by its name and address."""
    with transaction.atomic():
        venue = audited_save(
            Venue, actor=actor, keys={"name": name, "address": address}, fields=fields
        ).obj
    return venue


def session_save(
    *,
    actor: ActorArg,
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
    with transaction.atomic():
        session = audited_save(
            Session, actor=actor, keys={"event": event, "day": day, "title": title}, fields=fields
        ).obj
        if people is not None:
            wanted = []
            for order, person in enumerate(people):
                p = audited_save(
                    SessionPerson,
                    actor=actor,
                    keys={"session": session, "name": person["name"], "role": person["role"]},
                    fields={
                        "position": person.get("position", ""),
                        "organisation": person.get("organisation"),
                        "order": order,
                    },
                )
                wanted.append(p.obj.pk)
            session.people.exclude(pk__in=wanted).delete()
        if pickup_places is not None:
            wanted = []
            for order, place in enumerate(pickup_places):
                pp = audited_save(
                    PickupPlace,
                    actor=actor,
                    keys={"session": session, "name": place["name"]},
                    fields={"address": place.get("address", ""), "order": order},
                )
                wanted.append(pp.obj.pk)
            session.pickup_places.exclude(pk__in=wanted).delete()
    return session


def sponsor_save(*, actor: ActorArg, event: Event, name: str, **fields: Any) -> Sponsor:
    """Create or change a sponsor of an event, identified by its name."""
    with transaction.atomic():
        sponsor = audited_save(
            Sponsor, actor=actor, keys={"event": event, "name": name}, fields=fields
        ).obj
    return sponsor
