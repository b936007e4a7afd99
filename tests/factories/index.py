"""Factories for the index: an edition with items, cities with HDI and survey values."""

from __future__ import annotations

import factory
import numpy as np

from urbis.index.engine.config import AREAS, PILLARS
from urbis.index.models import City, CityHDI, Edition, Indicator, SurveyValue

CUTPOINTS = {
    "1": {"AAA": 85, "AA": 70, "A": 55, "BBB": 40},
    "2": {"A": 75, "BBB": 60, "BB": 45, "B": 30},
    "3": {"BB": 65, "B": 50, "CCC": 35, "CC": 20},
    "4": {"CCC": 55, "CC": 40, "C": 25},
}


class EditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Edition
        django_get_or_create = ("year",)

    year = 2023
    title = factory.LazyAttribute(lambda e: f"Smart City Index {e.year}")
    cutpoints = CUTPOINTS
    synthetic = True


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"City {n:02d}")
    slug = factory.LazyAttribute(lambda c: c.name.lower().replace(" ", "-"))
    country = "KR"


def edition_with_data(cities: int = 8, per_area: int = 1, seed: int = 1, year: int = 2023):
    """An edition with one item per pillar x area cell (x per_area), `cities` cities with
    HDI rising from 0.5 and three waves of shares rounded to whole respondents."""
    edition = EditionFactory(year=year)
    items = []
    for p, _ in PILLARS:
        for a, _ in AREAS:
            for j in range(per_area):
                items.append(
                    Indicator.objects.create(
                        edition=edition,
                        code=f"{p[0]}-{a}-{j}",
                        pillar=p,
                        area=a,
                        statement=f"{p} {a} {j}",
                        position=len(items) + 1,
                    )
                )
    rng = np.random.default_rng(seed)
    made = []
    for i in range(cities):
        city = CityFactory(name=f"City {i:02d}")
        CityHDI.objects.create(edition=edition, city=city, hdi=round(0.5 + 0.4 * i / cities, 3))
        made.append(city)
        for wave in (year, year - 1, year - 2):
            for item in items:
                share = round(float(np.clip(0.3 + 0.05 * i + rng.normal(0, 0.05), 0, 1)) * 120)
                SurveyValue.objects.create(
                    indicator=item, city=city, wave=wave, share=share / 120, respondents=120
                )
    return edition, made, items
