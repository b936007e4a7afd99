"""The groups events offers to messages to members (`members.queries.segments`): the
delegates registered (pending or approved, with an address) for each event, the latest
events first."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from urbis.events.models import Event, Registration, RegistrationStatus
from urbis.members.queries.segments import Group, Recipient, group_provider

LATEST = 12


def registrants(event_id: int) -> list[Recipient]:
    rows = (
        Registration.objects.filter(
            event_id=event_id,
            status__in=[RegistrationStatus.PENDING, RegistrationStatus.APPROVED],
            synthetic=False,
        )
        .exclude(email="")
        .select_related("organisation")
        .order_by("organisation__name", "person_name")
    )
    return [Recipient(r.organisation.name, r.person_name, r.email) for r in rows]


@group_provider
def event_groups() -> Iterable[Group]:
    for event in Event.objects.order_by("-starts_on")[:LATEST]:
        yield Group(
            code=f"event:{event.slug}",
            label=f"delegates registered for {event.name}",
            recipients=partial(registrants, event.pk),
        )
