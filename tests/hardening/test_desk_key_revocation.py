"""Desk keys stop holding when their holder's password or roles change, and carry no user
name (run on both databases: the PostgreSQL statements check the stamp in SQL)."""

from __future__ import annotations

import base64
import zlib

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied

from tests.factories.governance import (
    DelegateFactory,
    MeetingFactory,
    QuorumRuleFactory,
    members,
)
from tests.factories.members import UserFactory
from urbis.common import roles
from urbis.common.actor import Actor
from urbis.governance import domain
from urbis.governance.desk import desk_key_read
from urbis.governance.models import CheckIn

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall(db):
    QuorumRuleFactory()
    meeting = MeetingFactory(slug="ga")
    orgs = members(3)
    delegates = [DelegateFactory(meeting=meeting, organisation=o) for o in orgs]
    holder = UserFactory(username="desk-holder-ana")
    holder.groups.add(Group.objects.get_or_create(name=roles.STAFF)[0])
    return {"meeting": meeting, "delegates": delegates, "holder": holder}


def _issue(hall):
    holder = type(hall["holder"]).objects.get(pk=hall["holder"].pk)
    return domain.desk_key_issue(actor=holder, meeting=hall["meeting"]).key


def _check_in(hall, key, n):
    desk = desk_key_read(key)
    return domain.attendance_check_in_by_id(
        actor=Actor.for_desk(desk), meeting_slug="ga", delegate_id=hall["delegates"][n].pk
    )


def test_the_key_payload_carries_no_user_name(hall):
    key = _issue(hall)
    body = key.split(":")[0].lstrip(".")
    raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    text = zlib.decompress(raw).decode() if key.startswith(".") else raw.decode()
    assert "desk-holder-ana" not in text
    assert "desk-holder-ana" not in key


def test_a_key_holds_until_the_password_changes(hall):
    key = _issue(hall)
    _check_in(hall, key, 0)
    hall["holder"].set_password("another-long-passphrase-42")
    hall["holder"].save()
    with pytest.raises(PermissionDenied):
        _check_in(hall, key, 1)
    assert CheckIn.objects.count() == 1
    _check_in(hall, _issue(hall), 1)  # a key issued after the change holds
    assert CheckIn.objects.count() == 2


def test_a_key_stops_holding_when_the_roles_change(hall):
    key = _issue(hall)
    # Still a holder role, but roles changed: the key was signed for the old ones.
    hall["holder"].groups.add(Group.objects.get_or_create(name=roles.ADMIN)[0])
    with pytest.raises(PermissionDenied):
        _check_in(hall, key, 0)
    assert CheckIn.objects.count() == 0
