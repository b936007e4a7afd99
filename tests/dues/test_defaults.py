"""The dues pages' default dates come from the data: the period between the last two
General Assemblies held, and today for the review."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories.governance import MeetingFactory
from urbis.dues.queries.defaults import default_period, default_review_date

pytestmark = pytest.mark.django_db
D = dt.date


def test_the_period_runs_between_the_last_two_assemblies_held():
    MeetingFactory(slug="ga8", date=D(2029, 10, 2), status="published")
    MeetingFactory(slug="ga9", date=D(2031, 9, 18), status="concluded")
    MeetingFactory(slug="ga10", date=D(2033, 9, 20), status="convened")  # not yet held
    MeetingFactory(slug="ex", body="excom", date=D(2031, 12, 1), status="concluded")
    assert default_period(D(2032, 3, 1)) == (D(2029, 10, 2), D(2031, 9, 18))


def test_with_one_assembly_the_period_is_the_two_years_before_it():
    MeetingFactory(slug="ga9", date=D(2031, 9, 18), status="concluded")
    assert default_period(D(2032, 3, 1)) == (D(2029, 9, 18), D(2031, 9, 18))
    assert default_period(D(2032, 3, 1)) != (D(2021, 10, 1), D(2023, 9, 26))


def test_the_review_defaults_to_today():
    assert default_review_date() == timezone.localdate()
    assert default_review_date(D(2032, 3, 1)) == D(2032, 3, 1)


def test_the_page_uses_the_derived_period(client):
    MeetingFactory(slug="ga8", date=D(2024, 10, 2), status="published")
    MeetingFactory(slug="ga9", date=D(2026, 9, 18), status="concluded")
    response = client.get("/dues/between-assemblies/")
    assert response.context["report"].start == D(2024, 10, 2)
    assert response.context["report"].end == D(2026, 9, 18)
