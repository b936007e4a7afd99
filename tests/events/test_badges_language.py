"""A badge in the reader's language: a focal point downloading their delegate's badge with
Korean chosen gets Korean labels and dates written in full; English keeps its short range."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.factories.events import EventFactory, RegistrationFactory
from urbis.common.pdf import pdf_text
from urbis.events.badges import badges_pdf
from urbis.events.models import RegistrationStatus

pytestmark = pytest.mark.django_db


def _text(data: bytes) -> str:
    return " ".join(pdf_text(data).split())


def test_a_focal_point_downloads_the_badge_in_korean(client, focal_point):
    user, org = focal_point
    event = EventFactory(
        slug="ga-later", starts_on=dt.date(2031, 9, 30), ends_on=dt.date(2031, 10, 2), city=""
    )
    reg = RegistrationFactory(
        event=event, organisation=org, person_name="Ana Lee", mayoral_level=True
    )
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    text = _text(client.get(reverse("events:badge", args=["ga-later", reg.code])).content)
    assert "2031년 9월 30일 \u2013 2031년 10월 2일" in text, text
    assert "시장급" in text
    assert "Ana Lee" in text
    assert "September" not in text and "Mayoral level" not in text


def test_a_pending_badge_says_so_in_french_and_in_english():
    event = EventFactory(starts_on=dt.date(2031, 9, 30), ends_on=dt.date(2031, 10, 2), city="")
    reg = RegistrationFactory(event=event, status=RegistrationStatus.PENDING)
    with translation.override("fr"):
        french = _text(badges_pdf([reg]))
    assert "30 septembre 2031 \u2013 2 octobre 2031" in french
    assert ": non valable pour l'enregistrement à l'accueil" in french
    english = _text(badges_pdf([reg]))
    assert "30 September \u2013 2 October 2031" in english
    assert "Pending approval: not valid for check-in" in english
