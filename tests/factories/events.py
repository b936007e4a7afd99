"""Factories for events: an event, its sessions, registrations and check-ins."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import factory

from tests.factories.members import OrganisationFactory
from urbis.events import rules
from urbis.events.models import (
    CheckIn,
    Event,
    Registration,
    RegistrationStatus,
    Session,
    SessionKind,
    Sponsor,
    Venue,
)

SEOUL = ZoneInfo("Asia/Seoul")


def seoul(day: dt.date, hh: int, mm: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hh, mm, tzinfo=SEOUL)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"assembly-{n}")
    name = factory.Sequence(lambda n: f"General Assembly {n}")
    theme = "Smart City, Smart Citizen"
    starts_on = dt.date(2023, 9, 25)
    ends_on = dt.date(2023, 9, 27)
    time_zone = "Asia/Seoul"
    city = "Seoul"
    country = "KR"
    official_language = "English"
    interpretation = "Simultaneous interpretation into Korean"


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"Hall {n}")
    address = "110 Sejong-daero, Jung-gu"
    city = "Seoul"
    country = "KR"


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    event = factory.SubFactory(EventFactory)
    day = factory.LazyAttribute(lambda s: s.event.starts_on)
    starts_at = factory.LazyAttribute(lambda s: seoul(s.day, 14))
    ends_at = factory.LazyAttribute(lambda s: seoul(s.day, 16))
    title = factory.Sequence(lambda n: f"Session {n}")
    kind = SessionKind.SESSION
    venue = factory.SubFactory(VenueFactory)


class SponsorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sponsor

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Sponsor {n}")
    description = "Supports the assembly."


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    person_name = factory.Sequence(lambda n: f"Delegate {n}")
    person_key = factory.LazyAttribute(lambda r: rules.person_key(r.person_name))
    position = "Director"
    status = RegistrationStatus.APPROVED
    code = factory.Sequence(lambda n: f"TEST{n:04d}")


class CheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckIn

    registration = factory.SubFactory(RegistrationFactory)
    day = factory.LazyAttribute(lambda c: c.registration.event.starts_on)
    at = factory.LazyAttribute(lambda c: seoul(c.day, 9))
