"""The request and answer schemas of the events API (the programme's editing operations
reuse `EventOut`), apart from the handlers so that each module reads as its operations.
"""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from urbis.events import queries
from urbis.events.models import Event, Registration


class EventOut(Schema):
    id: int
    slug: str
    name: str
    theme: str
    starts_on: dt.date
    ends_on: dt.date
    time_zone: str
    city: str
    country: str
    host: str | None
    official_language: str
    interpretation: str
    description: str
    is_public: bool
    registration_open: bool
    registration_opens_at: dt.datetime | None
    registration_closes_at: dt.datetime | None
    days: list[dt.date]

    @staticmethod
    def resolve_days(obj: Event) -> list[dt.date]:
        return queries.event_days(obj)

    @staticmethod
    def resolve_country(obj: Event) -> str:
        return str(obj.country)

    @staticmethod
    def resolve_host(obj: Event) -> str | None:
        return obj.host.slug if obj.host else None


class PlaceOut(Schema):
    name: str
    address: str


class PersonOut(Schema):
    role: str
    name: str
    position: str


class SessionOut(Schema):
    id: int
    day: dt.date
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    time_note: str
    title: str
    kind: str
    venue: str
    address: str
    room: str
    official_language: str
    interpretation: str
    online: bool
    capacity: int | None
    taken: int
    is_assembly: bool
    people: list[PersonOut]
    pickup_places: list[PlaceOut]


class DayOut(Schema):
    number: int
    day: dt.date
    sessions: list[SessionOut]


class SponsorOut(Schema):
    name: str
    description: str
    website: str


class ProgrammeOut(Schema):
    event: EventOut
    days: list[DayOut]
    sponsors: list[SponsorOut]


class RegionOut(Schema):
    region: str
    count: int
    cities: list[str]


class StatisticsOut(Schema):
    cities: int
    cities_by_region: list[RegionOut]
    countries: list[str]
    mayoral_level: int
    organisations: list[str]
    embassies: list[str]
    delegates: int
    on_site: int
    online: int
    checked_in: int
    definitions: dict[str, str]


class RegistrationOut(Schema):
    id: int
    code: str
    organisation: str
    category: str
    person_name: str
    position: str
    attendance: str
    mayoral_level: bool
    head_of_delegation: bool
    status: str
    synthetic: bool
    sessions: list[int]

    @staticmethod
    def resolve_organisation(obj: Registration) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_category(obj: Registration) -> str:
        return obj.organisation.category

    @staticmethod
    def resolve_sessions(obj: Registration) -> list[int]:
        return [s.session_id for s in obj.signups.all()]


class RegistrationIn(Schema):
    organisation: str  # the organisation's slug
    person_name: str
    position: str = ""
    email: str = ""
    attendance: str = "on_site"
    mayoral_level: bool = False
    head_of_delegation: bool = False
    hotel: str = ""
    dietary_needs: str = ""
    airport_transfer: str = "none"
    sessions: list[int] = []


class SignupIn(Schema):
    session: int


class CheckInIn(Schema):
    code: str
    day: dt.date | None = None
    method: str = "scan"


class CheckInOut(Schema):
    created: bool
    day: dt.date
    at: dt.datetime
    registration: RegistrationOut


class AttendanceOut(Schema):
    organisation: str
    mode: str
    mayoral_level: bool
    delegates: int


class RejectIn(Schema):
    reason: str = Field(min_length=1, max_length=1000)
