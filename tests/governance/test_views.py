import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories.governance import AgendaItemFactory, DelegateFactory, OfficeTermFactory
from tests.governance.conftest import attend
from urbis.governance.models import CheckIn, Vote

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_live_quorum_page_polls_a_partial_every_second(assembly, client):
    m = assembly["meeting"]
    attend(m, assembly["cities"][:41])
    page = client.get(reverse("governance:live", args=[m.slug]))
    assert b'hx-trigger="every 1s"' in page.content
    panel = client.get(reverse("governance:quorum_panel", args=[m.slug]), HTTP_HX_REQUEST="true")
    text = panel.content.decode()
    assert "Quorum met" in text and "41</span> present of 163" in text


def test_quorum_panel_query_count_is_constant(assembly, client):
    m = assembly["meeting"]
    url = reverse("governance:quorum_panel", args=[m.slug])
    attend(m, assembly["cities"][:2])
    few = _queries(client, url)
    attend(m, assembly["cities"][2:50])
    assert _queries(client, url) == few


def test_run_page_is_for_staff_and_its_query_count_is_constant(assembly, client, staff_user):
    m = assembly["meeting"]
    url = reverse("governance:run", args=[m.slug])
    assert client.get(url).status_code in (302, 403)
    client.force_login(staff_user)
    AgendaItemFactory(meeting=m, method="roll_call")
    attend(m, assembly["cities"][:2])
    few = _queries(client, url)
    attend(m, assembly["cities"][2:30])
    assert _queries(client, url) == few


def test_meeting_list_and_offices_query_counts(assembly, client):
    few = _queries(client, reverse("governance:meetings"))
    offices_few = _queries(client, reverse("governance:offices") + "?on=2023-01-01")
    for i in range(5):
        OfficeTermFactory(kind="excom_member", organisation=assembly["cities"][i])
    assert _queries(client, reverse("governance:offices") + "?on=2023-01-01") == offices_few
    assert _queries(client, reverse("governance:meetings")) == few


def test_staff_checks_in_from_the_console(assembly, client, staff_user):
    m = assembly["meeting"]
    d = DelegateFactory(meeting=m, organisation=assembly["cities"][0], mode="online")
    client.force_login(staff_user)
    url = reverse("governance:check_in", args=[m.slug, d.pk])
    response = client.post(url, {"mode": "online"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and b"Online" in response.content
    assert CheckIn.objects.get(delegate=d).mode == "online"
    client.post(url, {"action": "out"})
    assert not CheckIn.objects.filter(delegate=d).exists()


def test_focal_point_cannot_check_in(assembly, client, focal_point):
    user, _ = focal_point
    d = DelegateFactory(meeting=assembly["meeting"], organisation=assembly["cities"][0])
    client.force_login(user)
    url = reverse("governance:check_in", args=[assembly["meeting"].slug, d.pk])
    assert client.post(url).status_code == 403


def test_api_quorum(assembly, client):
    m = assembly["meeting"]
    attend(m, assembly["cities"][:41])
    data = client.get(f"/api/v1/governance/meetings/{m.slug}/quorum").json()
    assert data == {
        "meeting": m.slug,
        "present": 41,
        "eligible": 163,
        "required": 41,
        "met": True,
        "population": sum(1000 + i for i in range(41)),
    }


def test_api_check_in_and_vote(assembly, client, staff_user):
    m = assembly["meeting"]
    org = assembly["cities"][0]
    d = DelegateFactory(meeting=m, organisation=org)
    item = AgendaItemFactory(meeting=m, method="roll_call")
    assert (
        client.post(
            f"/api/v1/governance/meetings/{m.slug}/check-ins",
            json.dumps({"delegate_id": d.pk}),
            content_type="application/json",
        ).status_code
        == 401
    )
    client.force_login(staff_user)
    r = client.post(
        f"/api/v1/governance/meetings/{m.slug}/check-ins",
        json.dumps({"delegate_id": d.pk}),
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["created"] is True
    vote_url = f"/api/v1/governance/items/{item.pk}/votes"
    body = json.dumps({"organisation_id": org.pk, "choice": "for"})
    assert client.post(vote_url, body, content_type="application/json").status_code == 200
    again = client.post(vote_url, body, content_type="application/json")
    assert again.status_code == 422
    assert "one vote per member" in again.json()["detail"]
    assert Vote.objects.count() == 1
    result = client.get(f"/api/v1/governance/items/{item.pk}/result").json()
    assert (result["votes_for"], result["votes_cast"], result["decided"]) == (1, 1, False)


def test_focal_point_votes_only_for_its_own_member(assembly, client, focal_point):
    user, own = focal_point
    m = assembly["meeting"]
    own.lifecycle_events.create(kind="approved", date=dt.date(2015, 1, 1))
    attend(m, [own, assembly["cities"][0]])
    item = AgendaItemFactory(meeting=m, method="roll_call")
    client.force_login(user)
    url = f"/api/v1/governance/items/{item.pk}/votes"
    other = json.dumps({"organisation_id": assembly["cities"][0].pk, "choice": "for"})
    assert client.post(url, other, content_type="application/json").status_code == 403
    mine = json.dumps({"organisation_id": own.pk, "choice": "against"})
    assert client.post(url, mine, content_type="application/json").status_code == 200


def test_api_offices_on_date(db, client):
    OfficeTermFactory(kind="president_city", start=dt.date(2010, 9, 1), end=dt.date(2023, 9, 25))
    assert len(client.get("/api/v1/governance/offices?on=2020-01-01").json()) == 1
    assert client.get("/api/v1/governance/offices?on=2024-01-01").json() == []


def test_api_decision_with_selected_candidates(assembly, client, staff_user):
    from tests.factories.governance import CandidateFactory
    from urbis.governance import queries

    m = assembly["meeting"]
    attend(m, assembly["cities"][:41])
    item = AgendaItemFactory(
        meeting=m, kind="election", office="president_city", term_start=dt.date(2023, 9, 26)
    )
    winner, loser = assembly["cities"][1], assembly["cities"][2]
    CandidateFactory(agenda_item=item, organisation=winner)
    CandidateFactory(agenda_item=item, organisation=loser)
    client.force_login(staff_user)
    r = client.post(
        f"/api/v1/governance/items/{item.pk}/decision",
        json.dumps({"outcome": "Elected.", "selected": [winner.pk]}),
        content_type="application/json",
    )
    assert r.status_code == 200
    assert (r.json()["result"], r.json()["quorum_required"]) == ("adopted", 41)
    assert queries.holder_on("president_city", dt.date(2024, 1, 1)).organisation == winner
    again = client.post(
        f"/api/v1/governance/items/{item.pk}/decision", "{}", content_type="application/json"
    )
    assert again.status_code == 422 and "already decided" in again.json()["detail"]


def test_console_decides_an_appointment_with_the_chosen_candidates(assembly, client, staff_user):
    from tests.factories.governance import CandidateFactory
    from urbis.governance.models import OfficeTerm

    m = assembly["meeting"]
    attend(m, assembly["cities"][:41])
    item = AgendaItemFactory(meeting=m, kind="appointment", office="vp_city")
    for org in assembly["cities"][1:4]:
        CandidateFactory(agenda_item=item, organisation=org)
    client.force_login(staff_user)
    page = client.get(reverse("governance:run", args=[m.slug]))
    assert b'name="selected"' in page.content
    url = reverse("governance:decide", args=[m.slug, item.pk])
    chosen = [assembly["cities"][1].pk, assembly["cities"][3].pk]
    client.post(url, {"slate": "1", "selected": chosen, "outcome": "Approved."})
    assert sorted(OfficeTerm.objects.values_list("organisation_id", flat=True)) == sorted(chosen)
