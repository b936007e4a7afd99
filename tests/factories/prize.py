"""Factories for the prize."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth.models import Group

from tests.factories.members import UserFactory
from urbis.common import roles
from urbis.prize.models import (
    Application,
    Assignment,
    AwardKind,
    Criterion,
    Edition,
    Evaluator,
    PrizeCategory,
    Round,
)

CRITERIA = [
    ("problem", "Problem", 1),
    ("design", "Design", 1),
    ("implementation", "Implementation", 1),
    ("monitoring", "Monitoring & evaluation", 1),
    ("impact", "Impact", 2),
    ("inclusiveness", "Inclusiveness", 2),
]


class EditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Edition
        django_get_or_create = ("year",)

    year = 2023
    name = factory.LazyAttribute(lambda e: f"Smart City Prize {e.year}")
    call_opens = factory.LazyAttribute(lambda e: dt.date(e.year, 3, 1))
    call_closes = factory.LazyAttribute(lambda e: dt.date(e.year, 7, 31))
    reviews_per_application = 3


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PrizeCategory
        django_get_or_create = ("edition", "code")

    edition = factory.SubFactory(EditionFactory)
    code = "tech-innovacity"
    name = "Tech-InnovaCity"
    applicant_kinds = ["city", "corporation", "institution"]


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    edition = factory.SubFactory(EditionFactory)
    category = factory.LazyAttribute(lambda a: CategoryFactory(edition=a.edition))
    reference = factory.Sequence(lambda n: f"T-{n:05d}")
    status = Application.Status.ELIGIBLE
    applicant_kind = "city"
    applicant_name = factory.Sequence(lambda n: f"Applicant City {n}")
    city = factory.LazyAttribute(lambda a: a.applicant_name)
    country = "FR"
    title = factory.Sequence(lambda n: f"Project {n}")
    summary = "A smart-city project."
    reached_round = 1


class EvaluatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evaluator

    edition = factory.SubFactory(EditionFactory)
    user = factory.LazyAttribute(
        lambda e: evaluator_user(f"judge-{e.name.lower().replace(' ', '-')}")
    )
    name = factory.Sequence(lambda n: f"Judge {n}")
    country = "US"


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment


def evaluator_user(username: str):
    user = UserFactory(username=username)
    group, _ = Group.objects.get_or_create(name=roles.EVALUATOR)
    user.groups.add(group)
    return user


def make_edition(year: int = 2023, *, reviews: int = 3, **fields) -> Edition:
    """A complete edition: three categories, the six criteria, three rounds, awards."""
    edition = EditionFactory(year=year, reviews_per_application=reviews, **fields)
    tech = CategoryFactory(edition=edition)
    human = CategoryFactory(
        edition=edition, code="human-centricity", name="Human-CentriCity", sort_order=1
    )
    CategoryFactory(
        edition=edition,
        code="leadership",
        name="Leadership",
        applicant_kinds=["individual"],
        sort_order=2,
    )
    for order, (code, name, weight) in enumerate(CRITERIA):
        Criterion.objects.get_or_create(
            edition=edition,
            code=code,
            defaults={"name": name, "weight": weight, "sort_order": order},
        )
    for number, mode, k in [(1, "top_k", 4), (2, "top_k", 2), (3, "final", None)]:
        Round.objects.get_or_create(
            edition=edition,
            number=number,
            defaults={
                "name": f"Round {number}",
                "opens": dt.date(year, 8, number),
                "closes": dt.date(year, 8, number + 10),
                "advance": mode,
                "advance_k": k,
            },
        )
    for order, (category, code, tier, kinds, count) in enumerate(
        [
            (tech, "tech-gold", "gold", ["city"], 1),
            (tech, "tech-silver", "silver", ["city"], 2),
            (tech, "tech-corporation", "corporation", ["corporation"], 1),
            (human, "human-gold", "gold", ["city", "institution"], 1),
            (None, "special-gggi", "special", [], 1),
        ]
    ):
        AwardKind.objects.get_or_create(
            edition=edition,
            code=code,
            defaults={
                "category": category,
                "name": code.replace("-", " ").title(),
                "tier": tier,
                "applicant_kinds": kinds,
                "count": count,
                "sort_order": order,
                "presenter": f"Presenter {order}",
            },
        )
    return edition
