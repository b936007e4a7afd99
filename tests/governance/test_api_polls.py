"""The polls API: the chair opens and closes, members vote through their focal point, the
turnout and the result are public, refusals in the one error format."""

import datetime as dt

import pytest
from django.test import Client

from tests.factories.governance import (
    AgendaItemFactory,
    CandidateFactory,
    MeetingFactory,
    QuorumRuleFactory,
    corporation,
    members,
)
from tests.factories.members import LifecycleEventFactory
from tests.governance.conftest import attend
from urbis.governance.models import QuorumRule

pytestmark = pytest.mark.django_db

API = "/api/v1/governance"


def _json(response, status):
    assert response.status_code == status, response.content
    return response.json()


@pytest.fixture
def setup(db, staff_user, focal_point):
    QuorumRuleFactory()
    user, focal_org = focal_point
    LifecycleEventFactory(organisation=focal_org, kind="approved", date=dt.date(2015, 1, 1))
    cities = members(20)
    corp = corporation("Dwelling Co., Ltd")
    meeting = MeetingFactory(
        title="7th General Assembly",
        slug="ga7",
        date=dt.date(2026, 9, 24),
        convocation_date=dt.date(2026, 8, 1),
    )
    attend(meeting, [*cities[:10], focal_org, corp])
    staff, focal = Client(), Client()
    staff.force_login(staff_user)
    focal.force_login(user)
    return {
        "meeting": meeting,
        "cities": cities,
        "focal_org": focal_org,
        "corp": corp,
        "staff": staff,
        "focal": focal,
    }


def test_motion_through_the_api(setup):
    staff, focal = setup["staff"], setup["focal"]
    item = AgendaItemFactory(meeting=setup["meeting"], kind="approval", number=4)
    poll = _json(
        staff.post(
            f"{API}/items/{item.pk}/polls",
            {"kind": "motion", "method": "secret"},
            content_type="application/json",
        ),
        201,
    )
    assert (poll["state"], poll["majority"], [o["label"] for o in poll["options"]]) == (
        "open",
        "simple",
        ["For", "Against", "Abstain"],
    )
    for_, against = poll["options"][0]["id"], poll["options"][1]["id"]
    url = f"{API}/polls/{poll['id']}/votes"
    receipt = _json(
        focal.post(
            url,
            {"organisation_id": setup["focal_org"].pk, "option_ids": [for_]},
            content_type="application/json",
        ),
        201,
    )
    assert receipt["recorded"] is True and receipt["organisation"] == "Focal City"
    assert len(receipt["receipt"]) == 16
    again = _json(
        focal.post(
            url,
            {"organisation_id": setup["focal_org"].pk, "option_ids": [against]},
            content_type="application/json",
        ),
        409,
    )
    assert again["detail"] == (
        "organisation: Focal City has already voted in this poll: one vote per member."
    )
    # A focal point votes for its own member only.
    other = _json(
        focal.post(
            url,
            {"organisation_id": setup["cities"][0].pk, "option_ids": [for_]},
            content_type="application/json",
        ),
        403,
    )
    assert "detail" in other
    # The secretariat records the votes of a roll call; a corporation and an absent city
    # are refused by the statutes.
    for org, status, detail in [
        (
            setup["corp"],
            403,
            "Dwelling Co., Ltd does not vote at 7th General Assembly: only the members that "
            "count for the quorum vote (Art. 16(2)).",
        ),
        (
            setup["cities"][15],
            403,
            f"{setup['cities'][15].name} is not present at 7th General Assembly.",
        ),
    ]:
        body = _json(
            staff.post(
                url,
                {"organisation_id": org.pk, "option_ids": [for_]},
                content_type="application/json",
            ),
            status,
        )
        assert body["detail"] == detail
    bad = _json(
        staff.post(
            url,
            {"organisation_id": setup["cities"][0].pk, "option_ids": [for_, against]},
            content_type="application/json",
        ),
        422,
    )
    assert bad["errors"] == {"option_ids": ["Mark exactly one option: for, against or abstain."]}
    for org in setup["cities"][:6]:
        _json(
            staff.post(
                url,
                {"organisation_id": org.pk, "option_ids": [for_]},
                content_type="application/json",
            ),
            201,
        )
    for org in setup["cities"][6:9]:
        _json(
            staff.post(
                url,
                {"organisation_id": org.pk, "option_ids": [against]},
                content_type="application/json",
            ),
            201,
        )
    assert _json(staff.get(f"{API}/polls/{poll['id']}/result"), 409)["detail"] == (
        "A secret ballot is counted when the chair closes it."
    )
    turnout = _json(Client().get(f"{API}/polls/{poll['id']}/turnout"), 200)
    assert (turnout["eligible"], turnout["voted"]) == (11, 10)
    assert [v["name"] for v in turnout["voters"]][:2] == ["City 0000", "City 0001"]
    assert "option" not in str(turnout)
    assert _json(focal.post(f"{API}/polls/{poll['id']}/close"), 403)
    result = _json(staff.post(f"{API}/polls/{poll['id']}/close"), 200)
    assert result["outcome"] == "adopted"
    assert result["arithmetic"] == (
        "7 for, 3 against of 10 votes cast; simple majority = 6; adopted (Art. 16)"
    )
    assert [o["votes"] for o in result["options"]] == [7, 3, 0]
    assert result["decision_id"] is not None
    late = _json(
        staff.post(
            url,
            {"organisation_id": setup["cities"][9].pk, "option_ids": [for_]},
            content_type="application/json",
        ),
        409,
    )
    assert late["detail"] == "poll: This poll is closed: the vote was not recorded."
    assert _json(Client().get(f"{API}/polls/{poll['id']}/result"), 200) == result


def test_selection_runoff_through_the_api(setup):
    staff = setup["staff"]
    cities = setup["cities"]
    item = AgendaItemFactory(meeting=setup["meeting"], kind="selection", number=5)
    bids = [
        CandidateFactory(agenda_item=item, organisation=cities[15 + i], label=name, order=i)
        for i, name in enumerate(["Almaty", "Busan", "Kazan"])
    ]
    poll = _json(
        staff.post(
            f"{API}/items/{item.pk}/polls",
            {"kind": "selection", "method": "roll_call"},
            content_type="application/json",
        ),
        201,
    )
    assert _json(
        staff.post(
            f"{API}/items/{item.pk}/polls",
            {"kind": "selection", "method": "roll_call"},
            content_type="application/json",
        ),
        409,
    )
    ids = {o["label"]: o["id"] for o in poll["options"]}
    for i, org in enumerate(cities[:10]):
        label = "Almaty" if i < 4 else "Busan" if i < 8 else "Kazan"
        _json(
            staff.post(
                f"{API}/polls/{poll['id']}/votes",
                {"organisation_id": org.pk, "option_ids": [ids[label]]},
                content_type="application/json",
            ),
            201,
        )
    first = _json(staff.post(f"{API}/polls/{poll['id']}/close"), 200)
    assert first["outcome"] == "runoff" and first["decision_id"] is None
    second = _json(staff.post(f"{API}/polls/{poll['id']}/runoff"), 201)
    assert (second["round"], second["previous_id"]) == (2, poll["id"])
    assert [o["candidate_id"] for o in second["options"]] == [bids[0].pk, bids[1].pk]
    listed = _json(Client().get(f"{API}/items/{item.pk}/polls"), 200)
    assert [p["id"] for p in listed] == [poll["id"], second["id"]]


def test_proxies_through_the_api(setup):
    staff = setup["staff"]
    cities = setup["cities"]
    url = f"{API}/meetings/ga7/proxies"
    body = {"grantor_id": cities[12].pk, "holder_id": cities[0].pk, "granted_on": "2026-09-20"}
    off = _json(staff.post(url, body, content_type="application/json"), 422)
    assert off["errors"] == {"holder": ["The statutes in force do not allow proxies (Art. 16)."]}
    QuorumRule.objects.update(proxies_allowed=True, proxy_cap=1)
    proxy = _json(staff.post(url, body, content_type="application/json"), 201)
    assert (proxy["grantor"], proxy["holder"]) == (cities[12].name, cities[0].name)
    assert [p["id"] for p in _json(staff.get(url), 200)] == [proxy["id"]]


def test_revoking_a_proxy_through_the_api(setup):
    staff, focal = setup["staff"], setup["focal"]
    cities = setup["cities"]
    QuorumRule.objects.update(proxies_allowed=True, proxy_cap=1)
    url = f"{API}/meetings/ga7/proxies"
    body = {"grantor_id": cities[12].pk, "holder_id": cities[0].pk, "granted_on": "2026-09-20"}
    first = _json(staff.post(url, body, content_type="application/json"), 201)
    refused = _json(focal.delete(f"{url}/{first['id']}"), 403)
    assert refused["detail"]
    assert _json(staff.post(f"{url}/{first['id'] + 1000}/revoke"), 404)["detail"]
    assert staff.delete(f"{url}/{first['id']}").status_code == 204
    assert _json(staff.get(url), 200) == []
    assert staff.delete(f"{url}/{first['id']}").status_code == 404
    # Given again and used in the open poll: refused until the poll closes.
    second = _json(staff.post(url, body, content_type="application/json"), 201)
    item = AgendaItemFactory(meeting=setup["meeting"], kind="approval", number=5)
    poll = _json(
        staff.post(
            f"{API}/items/{item.pk}/polls",
            {"kind": "motion", "method": "secret"},
            content_type="application/json",
        ),
        201,
    )
    yes = next(o["id"] for o in poll["options"] if o["label"] == "For")
    vote = {"organisation_id": cities[12].pk, "proxy_holder_id": cities[0].pk, "option_ids": [yes]}
    _json(staff.post(f"{API}/polls/{poll['id']}/votes", vote, content_type="application/json"), 201)
    conflict = _json(staff.post(f"{url}/{second['id']}/revoke"), 409)
    assert conflict["errors"] == {
        "proxy": [
            f"{cities[0].name} has already cast the vote of {cities[12].name} under this "
            "mandate in the open poll on agenda 5: revoke it after the poll closes."
        ]
    }
    _json(staff.post(f"{API}/polls/{poll['id']}/close"), 200)
    revoked = _json(staff.post(f"{url}/{second['id']}/revoke"), 200)
    assert (revoked["id"], revoked["grantor_id"]) == (second["id"], cities[12].pk)
    assert _json(staff.get(url), 200) == []
