"""The request and answer schemas of the programme's operations, apart from the handlers
so that each resource module reads as its operations only.
"""

import datetime as dt

from ninja import Field, Schema

from urbis.common.inputs import MAX_ID
from urbis.events.models import Sponsor, Venue


class EventIn(Schema):
    name: str = Field(max_length=200)
    slug: str = Field("", max_length=80, description="Defaults from the name.")
    starts_on: dt.date
    ends_on: dt.date
    time_zone: str = Field(description="An IANA name, e.g. Asia/Almaty.")
    theme: str = Field("", max_length=200)
    city: str = Field("", max_length=120)
    country: str = Field("", max_length=2, description="ISO 3166 code, e.g. KZ.")
    host: str | None = Field(None, description="The host organisation's slug.")
    official_language: str = Field("", max_length=100)
    interpretation: str = Field("", max_length=200)
    description: str = ""
    is_public: bool = True
    registration_open: bool = True
    registration_opens_at: dt.datetime | None = Field(
        None, description="Without an offset, a wall-clock time in the event's zone."
    )
    registration_closes_at: dt.datetime | None = None


class EventPatch(Schema):
    """Only the fields sent are changed."""

    name: str | None = Field(None, max_length=200)
    slug: str | None = Field(None, max_length=80)
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    time_zone: str | None = None
    theme: str | None = Field(None, max_length=200)
    city: str | None = Field(None, max_length=120)
    country: str | None = Field(None, max_length=2)
    host: str | None = None
    official_language: str | None = Field(None, max_length=100)
    interpretation: str | None = Field(None, max_length=200)
    description: str | None = None
    is_public: bool | None = None
    registration_open: bool | None = None
    registration_opens_at: dt.datetime | None = None
    registration_closes_at: dt.datetime | None = None


class EventFilters(Schema):
    q: str = ""
    year: int | None = Field(None, ge=1, le=9999)
    country: str = ""
    city: str = ""


class PersonIO(Schema):
    role: str
    name: str = Field(max_length=200)
    position: str = Field("", max_length=300)


class PlaceIO(Schema):
    name: str = Field(max_length=200)
    address: str = Field("", max_length=300)


class SessionDetailOut(Schema):
    id: int
    event: str
    day: dt.date
    start_time: str | None = Field(description="HH:MM in the event's time zone.")
    end_time: str | None
    starts_at: dt.datetime | None = Field(description="UTC.")
    ends_at: dt.datetime | None
    time_zone: str
    time_note: str
    title: str
    kind: str
    venue_id: int | None
    venue: str
    address: str
    room: str
    description: str
    official_language: str
    interpretation: str
    online: bool
    capacity: int | None
    taken: int
    requires_signup: bool
    is_assembly: bool
    people: list[PersonIO]
    pickup_places: list[PlaceIO]


class SessionIn(Schema):
    title: str = Field(max_length=300)
    kind: str = "session"
    day: dt.date
    start_time: dt.time | None = Field(None, description="Wall-clock, in the event's zone.")
    end_time: dt.time | None = None
    time_note: str = Field("", max_length=60)
    venue_id: int | None = None
    room: str = Field("", max_length=120)
    description: str = ""
    official_language: str = Field("", max_length=100)
    interpretation: str = Field("", max_length=200)
    online: bool = False
    capacity: int | None = Field(None, ge=0, le=1_000_000)
    requires_signup: bool = False
    is_assembly: bool = False
    people: list[PersonIO] = []
    pickup_places: list[PlaceIO] = []


class SessionPatch(Schema):
    """Only the fields sent are changed; `people` or `pickup_places`, when sent, replace
    the list. Times not sent keep their wall-clock value."""

    title: str | None = Field(None, max_length=300)
    kind: str | None = None
    day: dt.date | None = None
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    time_note: str | None = Field(None, max_length=60)
    venue_id: int | None = None
    room: str | None = Field(None, max_length=120)
    description: str | None = None
    official_language: str | None = Field(None, max_length=100)
    interpretation: str | None = Field(None, max_length=200)
    online: bool | None = None
    capacity: int | None = Field(None, ge=0, le=1_000_000)
    requires_signup: bool | None = None
    is_assembly: bool | None = None
    people: list[PersonIO] | None = None
    pickup_places: list[PlaceIO] | None = None


class SessionFilters(Schema):
    day: dt.date | None = None
    kind: str = ""
    venue: int | None = Field(None, ge=1, le=MAX_ID)


class VenueOut(Schema):
    id: int
    name: str
    address: str
    city: str
    country: str
    sessions: int

    @staticmethod
    def resolve_country(obj: Venue) -> str:
        return str(obj.country)

    @staticmethod
    def resolve_sessions(obj: Venue) -> int:
        n = getattr(obj, "n_sessions", None)  # annotated by queries.venues
        return obj.sessions.count() if n is None else int(n)


class VenueIn(Schema):
    name: str = Field(max_length=200)
    address: str = Field("", max_length=300)
    city: str = Field("", max_length=120)
    country: str = Field("", max_length=2)


class VenuePatch(Schema):
    name: str | None = Field(None, max_length=200)
    address: str | None = Field(None, max_length=300)
    city: str | None = Field(None, max_length=120)
    country: str | None = Field(None, max_length=2)


class VenueFilters(Schema):
    q: str = ""
    city: str = ""
    country: str = ""


class SponsorDetailOut(Schema):
    id: int
    event: str
    name: str
    organisation: str | None
    description: str
    website: str
    order: int

    @staticmethod
    def resolve_event(obj: Sponsor) -> str:
        return obj.event.slug

    @staticmethod
    def resolve_organisation(obj: Sponsor) -> str | None:
        return obj.organisation.slug if obj.organisation else None


class SponsorIn(Schema):
    name: str = Field(max_length=200)
    organisation: str | None = Field(None, description="The organisation's slug, if any.")
    description: str = ""
    website: str = Field("", max_length=200)
    order: int = Field(0, ge=0, le=32767)


class SponsorPatch(Schema):
    name: str | None = Field(None, max_length=200)
    organisation: str | None = None
    description: str | None = None
    website: str | None = Field(None, max_length=200)
    order: int | None = Field(None, ge=0, le=32767)
