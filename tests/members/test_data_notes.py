"""A lifecycle event's data note (where its date or reason comes from) shows to the
secretariat on the member's page, never to the public, whose page reads the reason only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories.members import LifecycleEventFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

NOTE = "The meeting's date is assumed to be 1 Nov 2031."


@pytest.fixture
def org():
    org = OrganisationFactory(name="Later City", category="local_government")
    LifecycleEventFactory(
        organisation=org,
        kind="approved",
        date=dt.date(2031, 11, 1),
        reason="Approved by the EXCOM 2031.",
        evidence={"note": NOTE},
    )
    return org


def test_the_public_reads_the_reason_without_the_note(client, org):
    page = client.get(reverse("members:detail", args=[org.slug])).content.decode()
    assert "Approved by the EXCOM 2031." in page
    assert NOTE.replace("'", "&#x27;") not in page and NOTE not in page


def test_the_secretariat_reads_the_note(client, staff_user, org):
    client.force_login(staff_user)
    page = client.get(reverse("members:detail", args=[org.slug])).content.decode()
    assert "Data note (secretariat only): The meeting&#x27;s date is assumed" in page
