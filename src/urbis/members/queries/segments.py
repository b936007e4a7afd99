"""Segments of the membership for messages to members: the focal points (with an address)
of the organisations of a category, a region and a membership state as of a date; or a
*group* that an app owning the data offers (the delegates registered for an event, the
evaluators of a prize edition), registered with `group_provider` in the app's AppConfig:
members imports neither events nor prize.

Only reads; the message itself is queued by messaging's `batch_queue`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Prefetch

from urbis.common.models import Region
from urbis.members.models import Category, Contact
from urbis.members.queries.registry import organisation_list


@dataclass(frozen=True)
class Recipient:
    organisation: str
    name: str
    email: str
    # The language the recipient reads (a contact's); empty: look it up by address.
    language: str = ""


@dataclass(frozen=True)
class Group:
    """A set of recipients offered by another app: `code` (e.g. `event:summit-2031`) is
    what the compose form posts, `label` what staff read."""

    code: str
    label: str
    recipients: Callable[[], list[Recipient]]


GroupProvider = Callable[[], Iterable[Group]]
_providers: list[GroupProvider] = []


def group_provider(provider: GroupProvider) -> GroupProvider:
    """Register a function listing the groups an app offers (once, however often called)."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def segment_groups() -> dict[str, Group]:
    return {g.code: g for provider in _providers for g in provider()}


@dataclass(frozen=True)
class Segment:
    category: str = ""
    region: str = ""
    state: str = ""
    as_of: dt.date | None = None
    group: str = ""

    def describe(self) -> str:
        """The segment in words, as staff see it in the list of messages sent."""
        if self.group:
            found = segment_groups().get(self.group)
            return found.label if found else self.group
        who = Category(self.category).label.lower() + "s" if self.category else "organisations"
        text = f"focal points of {who}"
        if self.region:
            region = Region.objects.filter(code=self.region).first()
            text += f" in {region.name if region else self.region}"
        if self.state:
            on = self.as_of.strftime("%d %B %Y") if self.as_of else "today"
            text += f", {self.state} on {on}"
        return text


def segment_recipients(segment: Segment) -> list[Recipient]:
    """The segment's focal points with an address, one per address, in organisation order
    (two queries); for a group, its recipients, one per address."""
    if segment.group:
        found = segment_groups().get(segment.group)
        seen_group: set[str] = set()
        out = []
        for r in found.recipients() if found else []:
            address = r.email.strip().lower()
            if address and address not in seen_group:
                seen_group.add(address)
                out.append(Recipient(r.organisation, r.name, address, r.language))
        return out
    focal = Prefetch(
        "contacts",
        queryset=Contact.objects.filter(is_focal_point=True).exclude(email="").order_by("name"),
        to_attr="focal_points",
    )
    organisations = organisation_list(
        category=segment.category,
        region=segment.region,
        state=segment.state,
        as_of=segment.as_of,
    ).prefetch_related(focal)
    seen: set[str] = set()
    recipients = []
    for org in organisations:
        for contact in org.focal_points:  # type: ignore[attr-defined]
            address = contact.email.strip().lower()
            if address not in seen:
                seen.add(address)
                recipients.append(Recipient(org.name, contact.name, address, contact.language))
    return recipients
