"""The review page: a short title, nothing pre-selected, select all / none, and a
confirmation that states the effect before anything is applied."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from tests.factories.members import member_since
from urbis.common.models import Job

pytestmark = pytest.mark.django_db
D = dt.date


def _title(content: bytes) -> str:
    match = re.search(rb"<title>(.*?)</title>", content, re.S)
    assert match is not None
    return match.group(1).decode()


@pytest.fixture
def quiet(db):
    return [member_since(D(2015, 1, 1), name=name) for name in ("Quiet", "Silent")]


def test_title_is_short_and_nothing_is_preselected(client, staff_user, quiet):
    client.force_login(staff_user)
    page = client.get(reverse("dues:review"), {"as_of": "2023-09-01"})
    assert _title(page.content) == "Status review · urbis"
    assert page.content.count(b'name="approve"') == 2
    assert b" checked " not in page.content
    everything = client.get(reverse("dues:review"), {"as_of": "2023-09-01", "select": "all"})
    assert everything.content.count(b" checked ") == 2


def test_confirmation_states_the_effect_and_queues_nothing(client, staff_user, quiet):
    client.force_login(staff_user)
    page = client.post(
        reverse("dues:review-confirm"),
        {
            "as_of": "2023-09-01",
            "approve": [quiet[0].pk],
            "decision_ref": "EXCOM 2023-4",
            "decided_on": "2023-09-26",
        },
    )
    assert page.status_code == 200
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page.content.decode()))
    assert (
        "Applying records 1 lifecycle event(s), dated 26 September 2023 under the decision "
        "EXCOM 2023-4, all or nothing: 1 suspended." in text
    )
    assert "Silent" not in text
    assert f'name="approve" value="{quiet[0].pk}"' in page.content.decode()
    assert Job.objects.count() == 0


def test_confirmation_without_a_selection_or_a_decision_applies_nothing(client, staff_user, quiet):
    client.force_login(staff_user)
    response = client.post(
        reverse("dues:review-confirm"), {"as_of": "2023-09-01", "decision_ref": ""}, follow=True
    )
    assert b"A review is applied by a decision: name it." in response.content
    assert b"Select at least one proposal to approve." in response.content
    assert Job.objects.count() == 0
