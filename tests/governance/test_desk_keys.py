"""Desk keys: a check-in desk or voting console signs its requests without a session. The key
is read without a query; its holder (active, on the secretariat), its meeting and its
revocation are checked with the write — in the statement on PostgreSQL, by the ORM path
elsewhere — and a refused request writes nothing."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.contrib.auth.models import Group
from django.core import signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories.governance import (
    AgendaItemFactory,
    DelegateFactory,
    MeetingFactory,
    QuorumRuleFactory,
    members,
)
from urbis.common import roles
from urbis.common.models import AuditRecord
from urbis.governance import desk
from urbis.governance.models import CheckIn, Vote

pytestmark = pytest.mark.django_db

POSTGRESQL = connection.vendor == "postgresql"
REFUSED = (
    "This desk key does not hold here: revoked, issued for another meeting, or its holder "
    "may no longer run the meeting."
)


@pytest.fixture
def hall():
    QuorumRuleFactory()
    meeting = MeetingFactory(slug="ga", title="6th General Assembly")
    other = MeetingFactory(slug="excom", title="EXCOM meeting")
    orgs = members(3, prefix="Almaty")
    delegates = [DelegateFactory(meeting=meeting, organisation=o) for o in orgs]
    item = AgendaItemFactory(meeting=meeting, number=1, title="Motion", method="roll_call")
    other_item = AgendaItemFactory(meeting=other, number=1, title="Other", method="roll_call")
    return {
        "meeting": meeting,
        "other": other,
        "orgs": orgs,
        "delegates": delegates,
        "item": item,
        "other_item": other_item,
    }


def _issue(client: Client, user, slug: str = "ga") -> str:
    client.force_login(user, backend="urbis.common.auth.RoleLoadingBackend")
    response = client.post(f"/api/v1/governance/meetings/{slug}/desk-keys")
    assert response.status_code == 201, response.content
    client.logout()
    return response.json()["key"]


def _check_in(key: str, delegate_id: int, slug: str = "ga"):
    return Client().post(
        f"/api/v1/governance/meetings/{slug}/check-ins",
        json.dumps({"delegate_id": delegate_id}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )


def _vote(key: str, item_id: int, organisation_id: int):
    return Client().post(
        f"/api/v1/governance/items/{item_id}/votes",
        json.dumps({"organisation_id": organisation_id, "choice": "for"}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )


def test_issuing_a_key_is_audited_and_for_those_who_run_the_meeting(
    client, hall, staff_user, focal_point
):
    key = _issue(client, staff_user)
    read = desk.desk_key_read(key)
    assert read == desk.DeskKey(
        staff_user.pk, hall["meeting"].pk, "ga", 0, desk.user_stamp(staff_user)
    )
    record = AuditRecord.objects.get(action="meeting.desk_key_issue")
    assert (record.actor, record.target_id, record.after) == (
        staff_user,
        str(hall["meeting"].pk),
        {"generation": 0},
    )
    client.force_login(focal_point[0])
    assert client.post("/api/v1/governance/meetings/ga/desk-keys").status_code == 403
    assert Client().post("/api/v1/governance/meetings/ga/desk-keys").status_code == 401


def test_a_key_checks_in_and_votes_without_a_session(client, hall, staff_user):
    key = _issue(client, staff_user)
    delegate = hall["delegates"][0]
    response = _check_in(key, delegate.pk)
    assert response.status_code == 200, response.content
    assert response.json()["created"] is True
    row = CheckIn.objects.get()
    assert (row.delegate, row.recorded_by, row.source) == (delegate, staff_user, "direct")
    record = AuditRecord.objects.get(action="attendance.check_in")
    assert (record.actor, record.actor_label) == (staff_user, staff_user.username)
    voted = _vote(key, hall["item"].pk, delegate.organisation_id)
    assert voted.json() == {
        "agenda_item": hall["item"].pk,
        "organisation": delegate.organisation.name,
        "recorded": True,
    }
    vote = Vote.objects.get()
    assert (vote.cast_by, vote.choice) == (staff_user, "for")


@pytest.mark.skipif(not POSTGRESQL, reason="the single statement is PostgreSQL's")
def test_on_postgresql_a_signed_check_in_or_vote_is_one_query(client, hall, staff_user):
    key = _issue(client, staff_user)
    delegate = hall["delegates"][1]
    with CaptureQueriesContext(connection) as ctx:
        assert _check_in(key, delegate.pk).status_code == 200
    assert len(ctx.captured_queries) == 1
    with CaptureQueriesContext(connection) as ctx:
        assert _vote(key, hall["item"].pk, delegate.organisation_id).status_code == 200
    assert len(ctx.captured_queries) == 1


def test_revoked_keys_are_refused_and_write_nothing(client, hall, staff_user):
    old = _issue(client, staff_user)
    client.force_login(staff_user)
    revoked = client.delete("/api/v1/governance/meetings/ga/desk-keys")
    assert revoked.json() == {"meeting": "ga", "generation": 1}
    record = AuditRecord.objects.get(action="meeting.desk_keys_revoke")
    assert (record.before, record.after) == ({"generation": 0}, {"generation": 1})
    refused = _check_in(old, hall["delegates"][0].pk)
    assert (refused.status_code, refused.json()) == (403, {"detail": REFUSED})
    assert _vote(old, hall["item"].pk, hall["orgs"][0].pk).status_code == 403
    assert not CheckIn.objects.exists() and not Vote.objects.exists()
    new = _issue(client, staff_user)
    assert desk.desk_key_read(new).generation == 1
    assert _check_in(new, hall["delegates"][0].pk).status_code == 200


def test_a_holder_deactivated_or_off_the_secretariat_is_refused(client, hall, staff_user):
    key = _issue(client, staff_user)
    staff_user.groups.clear()
    assert _check_in(key, hall["delegates"][0].pk).status_code == 403
    staff_user.groups.add(Group.objects.get(name=roles.STAFF))
    staff_user.is_active = False
    staff_user.save()
    assert _check_in(key, hall["delegates"][0].pk).status_code == 403
    assert not CheckIn.objects.exists()


def test_a_key_holds_for_its_own_meeting_only(client, hall, staff_user):
    key = _issue(client, staff_user)
    other_delegate = DelegateFactory(meeting=hall["other"], organisation=hall["orgs"][0])
    assert _check_in(key, other_delegate.pk, slug="excom").status_code == 403
    assert _vote(key, hall["other_item"].pk, hall["orgs"][0].pk).status_code == 403
    assert not CheckIn.objects.exists() and not Vote.objects.exists()


def test_forged_altered_or_expired_keys_are_not_signed_in(client, hall, staff_user, monkeypatch):
    key = _issue(client, staff_user)
    forged = signing.dumps({"u": staff_user.pk, "n": "x", "m": 1, "s": "ga", "g": 0}, salt="x")
    assert _check_in(forged, hall["delegates"][0].pk).status_code == 401
    assert _check_in(key[:-2] + "AA", hall["delegates"][0].pk).status_code == 401
    monkeypatch.setattr(desk, "MAX_AGE", dt.timedelta(seconds=-1))
    assert _check_in(key, hall["delegates"][0].pk).status_code == 401
    assert not CheckIn.objects.exists()


def test_the_console_issues_a_key_shown_once_and_revokes_them_all(client, hall, staff_user):
    client.force_login(staff_user)
    run = client.get("/governance/meetings/ga/run/").content.decode()
    assert "Issue a desk key" in run and "Revoke every desk key of this meeting" in run
    page = client.post("/governance/meetings/ga/desk-keys/issue/").content.decode()
    key = page.split('aria-label="Desk key">')[1].split("</textarea>")[0]
    assert desk.desk_key_read(key).meeting_slug == "ga"
    assert _check_in(key, hall["delegates"][2].pk).status_code == 200
    revoked = client.post("/governance/meetings/ga/desk-keys/revoke/", follow=True)
    assert "Every desk key issued for this meeting so far is revoked." in revoked.content.decode()
    assert _check_in(key, hall["delegates"][1].pk).status_code == 403
