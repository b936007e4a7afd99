"""The desk's check-ins and votes skip django-ninja and answer as its operations do, byte for
byte; anything not signed with a valid desk key, or a body to refuse, goes on to ninja."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory
from django.urls import URLPattern, resolve
from django.utils import timezone

from tests.factories.governance import (
    AgendaItemFactory,
    DelegateFactory,
    MeetingFactory,
    QuorumRuleFactory,
    members,
)
from urbis.config.api import api
from urbis.governance.api_desk import desk_urlpatterns
from urbis.governance.domain import desk_key_issue
from urbis.governance.models import CheckIn, Vote

pytestmark = pytest.mark.django_db

CHECK_IN = "/api/v1/governance/meetings/ga/check-ins"


@pytest.fixture
def hall(staff_user):
    QuorumRuleFactory()
    meeting = MeetingFactory(slug="ga")
    orgs = members(3, prefix="Almaty")
    delegates = [DelegateFactory(meeting=meeting, organisation=o) for o in orgs]
    item = AgendaItemFactory(meeting=meeting, number=1, title="Motion", method="roll_call")
    key = desk_key_issue(actor=staff_user, meeting=meeting).key
    return {"meeting": meeting, "orgs": orgs, "delegates": delegates, "item": item, "key": key}


def _ninja_view(name: str):
    return next(p.callback for p in api.urls[0] if isinstance(p, URLPattern) and p.name == name)


def _both(path: str, body: dict, key: str) -> tuple:
    """The desk view's answer and ninja's, to the same request."""
    factory = RequestFactory()
    match = resolve(path)
    name = "governance_check_in" if path.endswith("check-ins") else "governance_vote"
    answers = []
    for view in (match.func, _ninja_view(name)):
        request = factory.post(
            path, json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=key
        )
        response = view(request, **match.kwargs)
        answers.append((response.status_code, response["Content-Type"], response.content))
    return answers[0], answers[1]


def test_an_operation_name_missing_or_taken_twice_stops_the_url_configuration():
    patterns = api.urls[0]
    with pytest.raises(
        ImproperlyConfigured, match="2 API operations are named 'governance_check_in'"
    ):
        desk_urlpatterns(ninja_api=api, ninja_patterns=[*patterns, *patterns])
    with pytest.raises(ImproperlyConfigured, match="0 API operations"):
        desk_urlpatterns(ninja_api=api, ninja_patterns=[])


def test_the_desk_urls_resolve_to_the_desk_views():
    assert resolve(CHECK_IN).url_name == "desk_check_in"
    assert resolve("/api/v1/governance/items/7/votes").url_name == "desk_vote"
    assert resolve("/api/v1/governance/meetings/ga/quorum").url_name == "quorum"


def test_check_in_answers_are_the_same_as_ninjas(hall, staff_user):
    bearer = f"Bearer {hall['key']}"
    delegate = hall["delegates"][0]
    first = Client().post(
        CHECK_IN,
        json.dumps({"delegate_id": delegate.pk}),
        content_type="application/json",
        headers={"Authorization": bearer},
    )
    assert first.status_code == 200 and first.json()["created"] is True
    desk, ninja = _both(CHECK_IN, {"delegate_id": delegate.pk}, bearer)  # already in
    assert desk == ninja
    assert json.loads(desk[2])["created"] is False
    assert json.loads(desk[2])["at"] == first.json()["at"]
    for body, status in [
        ({"delegate_id": 0}, 404),
        ({"delegate_id": hall["delegates"][1].pk, "mode": "hybrid"}, 422),
    ]:
        desk, ninja = _both(CHECK_IN, body, bearer)
        assert desk == ninja and desk[0] == status
    assert CheckIn.objects.count() == 1


def test_refusals_of_a_revoked_key_are_the_same_as_ninjas(hall, client, staff_user):
    client.force_login(staff_user)
    assert client.delete("/api/v1/governance/meetings/ga/desk-keys").status_code == 200
    desk, ninja = _both(CHECK_IN, {"delegate_id": hall["delegates"][0].pk}, f"Bearer {hall['key']}")
    assert desk == ninja and desk[0] == 403
    assert not CheckIn.objects.exists()


def test_vote_answers_are_the_same_as_ninjas(hall):
    bearer = f"Bearer {hall['key']}"
    path = f"/api/v1/governance/items/{hall['item'].pk}/votes"
    org = hall["orgs"][0]
    absent = {"organisation_id": org.pk, "choice": "for"}
    desk, ninja = _both(path, absent, bearer)
    assert desk == ninja and desk[0] == 422
    assert b"is not present at the meeting" in desk[2]
    CheckIn.objects.create(
        meeting=hall["meeting"],
        delegate=hall["delegates"][0],
        organisation=org,
        mode="on_site",
        at=timezone.now(),
    )
    desk, _ = _both(path, {"organisation_id": org.pk, "choice": "for"}, bearer)
    assert (desk[0], json.loads(desk[2])) == (
        200,
        {"agenda_item": hall["item"].pk, "organisation": org.name, "recorded": True},
    )
    again_desk, again_ninja = _both(path, {"organisation_id": org.pk, "choice": "for"}, bearer)
    assert again_desk == again_ninja and again_desk[0] == 422
    unknown, unknown_ninja = _both(
        "/api/v1/governance/items/0/votes", {"organisation_id": org.pk, "choice": "for"}, bearer
    )
    assert unknown == unknown_ninja and unknown[0] == 404  # on both databases
    assert Vote.objects.count() == 1


def test_a_desk_signed_write_never_reaches_ninja(hall, monkeypatch):
    from ninja.operation import Operation

    def refuse(*args, **kwargs):
        raise AssertionError("django-ninja ran")

    monkeypatch.setattr(Operation, "run", refuse)
    response = Client().post(
        CHECK_IN,
        json.dumps({"delegate_id": hall["delegates"][0].pk}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {hall['key']}"},
    )
    assert response.status_code == 200
    with pytest.raises(AssertionError, match="django-ninja ran"):
        Client().post(CHECK_IN, json.dumps({"delegate_id": 1}), content_type="application/json")


def test_what_the_desk_view_does_not_take_goes_on_to_ninja(hall, staff_user):
    bearer = {"Authorization": f"Bearer {hall['key']}"}
    delegate_id = hall["delegates"][0].pk
    bad = Client().post(
        CHECK_IN, json.dumps({"delegate_id": "x"}), content_type="application/json", headers=bearer
    )
    assert bad.status_code == 422
    assert list(bad.json()["errors"]) == ["delegate_id"]
    unsigned = Client().post(
        CHECK_IN, json.dumps({"delegate_id": delegate_id}), content_type="application/json"
    )
    assert (unsigned.status_code, unsigned.json()) == (401, {"detail": "Unauthorized"})
    assert Client().get(CHECK_IN, headers=bearer).status_code == 405
    session = Client(enforce_csrf_checks=True)
    session.force_login(staff_user)
    no_token = session.post(
        CHECK_IN, json.dumps({"delegate_id": delegate_id}), content_type="application/json"
    )
    assert no_token.status_code == 403  # a session still needs its CSRF token
    assert not CheckIn.objects.exists()
