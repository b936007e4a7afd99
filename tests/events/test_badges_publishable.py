"""A badge of a later event reads as printed: dates across two months, no empty city, the
category's label (never its code), no "None"."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.common.publishable import problems
from tests.factories.events import EventFactory, RegistrationFactory
from tests.factories.members import OrganisationFactory
from urbis.common.pdf import pdf_text
from urbis.events.badges import badges_pdf

pytestmark = pytest.mark.django_db


def test_a_badge_across_two_months_without_a_city():
    event = EventFactory(
        name="Synthetic General Assembly 9",
        starts_on=dt.date(2031, 9, 30),
        ends_on=dt.date(2031, 10, 2),
        city="",
    )
    org = OrganisationFactory(name="Later City", category="local_government")
    registration = RegistrationFactory(event=event, organisation=org, person_name="Ana Lee")
    text = " ".join(pdf_text(badges_pdf([registration])).split())
    assert problems(text) == []
    assert "30 September \u2013 2 October 2031" in text
    assert "Local government" in text
    assert "·" not in text
