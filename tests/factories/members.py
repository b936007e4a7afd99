"""Factories for the registry."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from urbis.members.models import Category, Contact, LifecycleEvent, Organisation, Participation


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct-horse-battery-staple")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"City {n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))
    category = Category.LOCAL_GOVERNMENT
    country = "KR"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Person {n}")
    position = "Director"


class LifecycleEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LifecycleEvent

    organisation = factory.SubFactory(OrganisationFactory)
    kind = "approved"
    date = dt.date(2020, 1, 1)


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    organisation = factory.SubFactory(OrganisationFactory)
    date = dt.date(2022, 5, 1)
    activity = factory.Sequence(lambda n: f"Workshop {n}")


def member_since(on: dt.date, **org_fields) -> Organisation:
    """An organisation approved as a member on `on` (bypassing the domain layer)."""
    org = OrganisationFactory(**org_fields)
    LifecycleEventFactory(organisation=org, kind="approved", date=on)
    return org
