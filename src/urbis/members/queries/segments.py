"""Segments of the membership for messages to members: the focal points (with an address)
of the organisations of a category, a region and a membership state as of a date.

Only reads; the message itself is queued by messaging's `batch_queue`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch

from urbis.common.models import Region
from urbis.members.models import Category, Contact
from urbis.members.queries.registry import organisation_list


@dataclass(frozen=True)
class Segment:
    category: str = ""
    region: str = ""
    state: str = ""
    as_of: dt.date | None = None

    def describe(self) -> str:
        """The segment in words, as staff see it in the list of messages sent."""
        who = Category(self.category).label.lower() + "s" if self.category else "organisations"
        text = f"focal points of {who}"
        if self.region:
            region = Region.objects.filter(code=self.region).first()
            text += f" in {region.name if region else self.region}"
        if self.state:
            on = self.as_of.strftime("%d %B %Y") if self.as_of else "today"
            text += f", {self.state} on {on}"
        return text


@dataclass(frozen=True)
class Recipient:
    organisation: str
    name: str
    email: str


def segment_recipients(segment: Segment) -> list[Recipient]:
    """The segment's focal points with an address, one per address, in organisation order
    (two queries)."""
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
                recipients.append(Recipient(org.name, contact.name, address))
    return recipients
