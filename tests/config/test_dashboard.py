"""The home page's dashboards: each role's figures, counted from the data, in a bounded
number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import dues as dues_f
from tests.factories import events as events_f
from tests.factories import governance as gov_f
from tests.factories.members import member_since
from tests.factories.world import build_world
from urbis.common.models import Job
from urbis.config.dashboard import dashboard_for
from urbis.events.models import RegistrationStatus
from urbis.prize.models import Round

pytestmark = pytest.mark.django_db

# The most queries a dashboard may make (counts and short lists, the membership table, the
# session and the user): it does not grow with the number of members, events or invoices.
MAX_QUERIES = 30


def _figures(section) -> dict[str, int | None]:
    return {t.what: t.figure for t in section.tiles}


@pytest.fixture
def world():
    """The permission world plus, in a synthetic later year, a coming event with two
    registrations to approve, a member in arrears, a round past its closing date, a running
    job and a convened assembly."""
    w = build_world()
    today = timezone.localdate()
    event = events_f.EventFactory(
        slug="ga-later",
        name="Later General Assembly",
        starts_on=today + dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=32),
    )
    for org in (w.a, w.b):
        events_f.RegistrationFactory(
            event=event, organisation=org, status=RegistrationStatus.PENDING
        )
    late = member_since(dt.date(2015, 1, 1), name="Late City")
    dues_f.InvoiceFactory(organisation=late, fiscal_year=today.year - 1)
    round1 = w.objects["round"]["own"]
    Round.objects.filter(pk=round1.pk).update(
        status=Round.Status.OPEN, closes=today - dt.timedelta(days=1)
    )
    Job.objects.create(
        kind="reports.build",
        title="Building",
        requested_by=w.users["staff"],
        state=Job.State.RUNNING,
    )
    gov_f.MeetingFactory(
        slug="ga-later", number=9, date=today + dt.timedelta(days=31), status="convened"
    )
    w.event_later = event
    return w


def test_staff_dashboard_counts_what_needs_doing(world):
    ctx = dashboard_for(world.users["staff"])
    assert [s.title for s in ctx["sections"]] == ["What needs doing"]
    assert _figures(ctx["sections"][0]) == {
        "Registrations awaiting approval": 2,
        "Members in arrears": 1,
        "Prize applications to triage": 0,
        "Review rounds past their closing date": 1,
        "Jobs queued or running": 1,
        "Meetings convened or in session": 1,
        "Membership status review": None,
    }
    assert [e.slug for e in ctx["upcoming"]] == ["ga-later"]


def test_excom_dashboard_lists_decisions_awaiting_it(world):
    ctx = dashboard_for(world.users["excom"])
    section = ctx["sections"][0]
    assert section.title == "Decisions awaiting the Executive Committee"
    assert [t.url for t in section.tiles] == ["/dues/review/"]
    labels = [r["label"] for r in section.rows]
    assert labels[-1] == "General Assembly " + labels[-1].split()[-1]
    assert [r["url"] for r in section.rows][-1] == "/governance/meetings/ga-later/"
    assert len(section.rows) == 4  # three rounds of the edition and the coming assembly


def test_focal_point_dashboard_is_its_members_space(world):
    ctx = dashboard_for(world.users["focal"])
    section = ctx["sections"][0]
    assert section.title == "Your member's space"
    assert [r["label"] for r in section.rows] == ["Focal City"]
    assert [r["url"] for r in section.rows] == [f"/members/{world.a.slug}/"]
    figures = _figures(section)
    assert figures["Delegates registered for coming events"] == 1
    assert figures["Prize applications"] == 1


def test_evaluator_dashboard_lists_assignments_and_deadlines(world):
    ctx = dashboard_for(world.users["evaluator"])
    section = ctx["sections"][0]
    assert section.title == "Your reviews"
    figures = _figures(section)
    # The judge's own assignment (its conflicted one is left out), due yesterday.
    assert figures["Reviews to submit"] == 1
    assert figures["Reviews past their deadline"] == 1
    own = world.objects["assignment"]["own"]
    assert [r["url"] for r in section.rows] == [f"/prize/reviews/{own.pk}/"]
    assert section.rows[0]["detail"].endswith("— overdue")


def test_public_home_introduces_the_network(world):
    client = Client()
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["sections"] == []
    html = response.content.decode()
    assert "A network of smart cities" in html
    assert "Later General Assembly" in html
    assert "/members/" in html
    labels = [r["label"] for r in response.context["results"]]
    assert any(label.startswith("Memorandum of the") for label in labels)


@pytest.mark.parametrize("key", [None, "staff", "excom", "focal", "evaluator", "admin"])
def test_each_home_page_stays_within_its_query_budget(world, key, django_assert_max_num_queries):
    client = Client()
    if key:
        client.force_login(world.users[key])
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get("/")
    assert response.status_code == 200
