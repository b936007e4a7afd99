"""The meeting workspace (pages) and the meetings API: create, edit, delete, validation,
pagination, audit, and the lifecycle steps from the page."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories.governance import AgendaItemFactory, MeetingFactory, QuorumRuleFactory
from tests.factories.members import OrganisationFactory
from urbis.common.models import AuditRecord
from urbis.governance import domain
from urbis.governance.models import AgendaItem, Candidate, Meeting

pytestmark = pytest.mark.django_db
API = "/api/v1/governance"


def test_staff_create_a_meeting_and_prepare_its_agenda_from_the_pages(client, staff_user):
    client.force_login(staff_user)
    assert "New meeting" in client.get(reverse("governance:meetings")).content.decode()
    response = client.post(
        reverse("governance:meeting_new"),
        {
            "slug": "ga-7",
            "body": "ga",
            "number": 7,
            "title": "7th General Assembly 2026",
            "date": "2026-09-24",
            "start_time": "15:00",
            "end_time": "17:00",
            "time_zone": "Asia/Almaty",
            "convocation_date": "2026-08-01",
            "language": "English",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(slug="ga-7")
    assert (meeting.status, meeting.time_zone, meeting.start_time) == (
        "draft",
        "Asia/Almaty",
        dt.time(15),
    )
    url = reverse("governance:item_save", args=["ga-7"])
    response = client.post(url, {"number": 1, "title": "Election", "kind": "election"})
    assert response.status_code == 302
    assert not AgendaItem.objects.exists()  # the article (statute basis) is required
    client.post(
        url,
        {
            "number": 1,
            "title": "Selection of the host of the 8th GA",
            "kind": "selection",
            "article": "11(4)",
            "method": "consensus",
        },
    )
    item = AgendaItem.objects.get()
    city = OrganisationFactory(name="Tashkent")
    client.post(
        reverse("governance:candidate_add", args=["ga-7", item.pk]),
        {"organisation": city.pk, "nominated_on": "2026-07-01", "nominated_by": "Tashkent"},
    )
    candidate = Candidate.objects.get()
    assert (candidate.nominated_on, candidate.order) == (dt.date(2026, 7, 1), 1)
    html = client.get(reverse("governance:workspace", args=["ga-7"])).content.decode()
    assert "Art. 11(4)" in html and "Tashkent" in html
    assert 'data-confirm="Convene ' in html  # convening asks first (common/confirm.js)
    client.post(
        reverse("governance:lifecycle", args=["ga-7", "convene"]),
        {"convocation_date": "2026-08-01", "notice": "Convened."},
    )
    assert Meeting.objects.get(slug="ga-7").status == "convened"
    actions = set(AuditRecord.objects.values_list("action", flat=True))
    assert {"meeting.save", "agenda_item.save", "candidate.add", "meeting.convened"} <= actions


def test_the_workspace_is_for_the_secretariat(client, excom_user):
    meeting = MeetingFactory()
    client.force_login(excom_user)
    assert client.get(reverse("governance:workspace", args=[meeting.slug])).status_code == 403


def test_meetings_api_lists_with_ids_filters_and_pages(client, django_assert_max_num_queries):
    for year in (2021, 2023, 2026):
        MeetingFactory(slug=f"ga-{year}", date=dt.date(year, 9, 1))
    MeetingFactory(slug="excom-2023", body="excom", date=dt.date(2023, 9, 4))
    with django_assert_max_num_queries(3):
        data = client.get(f"{API}/meetings?body=ga&page=1").json()
    assert data["count"] == 3
    assert [m["slug"] for m in data["items"]] == ["ga-2026", "ga-2023", "ga-2021"]
    assert all(isinstance(m["id"], int) for m in data["items"])
    data = client.get(f"{API}/meetings?year=2023").json()
    assert sorted(m["slug"] for m in data["items"]) == ["excom-2023", "ga-2023"]


def test_meetings_api_validates_and_names_the_field(client, staff_user):
    client.force_login(staff_user)
    body = {
        "slug": "ga-7",
        "body": "ga",
        "title": "7th GA",
        "date": "2026-09-24",
        "convocation_date": "2026-08-01",
        "time_zone": "Asia/Almaty",
    }
    assert client.post(f"{API}/meetings", body, content_type="application/json").status_code == 201
    again = client.post(f"{API}/meetings", body, content_type="application/json")
    assert again.status_code == 409
    bad = client.post(
        f"{API}/meetings", {**body, "slug": "x", "body": "senate"}, content_type="application/json"
    )
    assert bad.status_code == 422 and "body" in bad.json()["errors"]
    response = client.post(
        f"{API}/meetings/ga-7/items",
        {"number": 1, "title": "T", "kind": "referendum", "article": "9"},
        content_type="application/json",
    )
    assert response.status_code == 422 and "kind" in response.json()["errors"]
    patched = client.patch(
        f"{API}/meetings/ga-7", {"venue": "Hall A"}, content_type="application/json"
    ).json()
    assert patched["venue"] == "Hall A"
    assert client.delete(f"{API}/meetings/ga-7").status_code == 204
    assert not Meeting.objects.exists()


def test_a_convened_meeting_cannot_be_deleted_and_a_decided_item_stays(client, staff_user):
    meeting = MeetingFactory(status="convened")
    item = AgendaItemFactory(meeting=meeting, kind="report")
    client.force_login(staff_user)
    response = client.delete(f"{API}/meetings/{meeting.slug}")
    assert response.status_code == 422 and "status" in response.json()["errors"]
    QuorumRuleFactory()
    domain.decision_record(actor=None, agenda_item=item)
    response = client.delete(f"{API}/items/{item.pk}")
    assert response.status_code == 422 and "agenda_item" in response.json()["errors"]


def test_writes_need_the_secretariat(client, excom_user):
    client.force_login(excom_user)
    response = client.post(
        f"{API}/meetings",
        {
            "slug": "x",
            "title": "X",
            "date": "2026-01-01",
            "convocation_date": "2025-12-01",
            "body": "ga",
        },
        content_type="application/json",
    )
    assert response.status_code == 403


def test_the_workspace_costs_the_same_whatever_the_agenda(
    client, staff_user, django_assert_max_num_queries
):
    meeting = MeetingFactory()
    for number in range(1, 9):
        item = AgendaItemFactory(meeting=meeting, number=number, kind="election")
        for _ in range(3):
            Candidate.objects.create(agenda_item=item, organisation=OrganisationFactory())
    client.force_login(staff_user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("governance:workspace", args=[meeting.slug]))
    assert response.content.decode().count("Add to the slate") == 8


def test_the_workspace_links_the_meeting_to_its_event_session(client, staff_user):
    from tests.factories.events import EventFactory, SessionFactory

    client.force_login(staff_user)
    event = EventFactory(slug="ga8-2029", name="8th General Assembly 2029")
    session = SessionFactory(event=event, title="Plenary", day=dt.date(2029, 10, 3))
    meeting = MeetingFactory(slug="ga-8", title="8th General Assembly", date=dt.date(2029, 10, 3))
    page = client.get(reverse("governance:workspace", args=["ga-8"])).content.decode()
    assert 'Event session: <span class="muted">none;' in page
    assert f'<option value="{session.pk}">8th General Assembly 2029: Plenary (03 Oct 2029)' in page
    form = {
        "slug": "ga-8",
        "body": "ga",
        "title": "8th General Assembly",
        "date": "2029-10-03",
        "convocation_date": "2029-09-01",
        "time_zone": "Asia/Seoul",
        "language": "English",
        "session": session.pk,
    }
    answer = client.post(reverse("governance:meeting_edit", args=["ga-8"]), form, follow=True)
    assert [str(m) for m in answer.context["messages"]] == ["Meeting saved."]
    meeting.refresh_from_db()
    assert meeting.session == session
    page = " ".join(
        client.get(reverse("governance:workspace", args=["ga-8"])).content.decode().split()
    )
    assert (
        'Event session: <a href="/events/ga8-2029/manage/">8th General Assembly 2029</a>, '
        "Plenary (3 October 2029): its badge check-ins are the attendance."
    ) in page
    assert client.get(f"{API}/meetings/ga-8").json()["session_id"] == session.pk
