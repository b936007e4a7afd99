"""The one audited save: snapshot, set fields, full_clean, save, audit only if changed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from tests.factories.members import UserFactory
from urbis.common.actor import Actor
from urbis.common.audit import audited_save, audited_update
from urbis.common.models import AuditRecord, Region

pytestmark = pytest.mark.django_db


def _save(actor, **fields):
    with transaction.atomic():
        return audited_save(Region, actor=actor, keys={"code": "oceania"}, fields=fields)


def test_create_then_update_then_nothing(staff_user):
    actor = Actor.for_user(staff_user)
    created = _save(actor, name="Oceania", sort_order=7)
    assert (created.created, created.changed) == (True, True)
    record = AuditRecord.objects.get()
    assert (record.action, record.actor_id) == ("region.create", staff_user.pk)
    assert record.after == {
        "code": "oceania",
        "name": "Oceania",
        "parent_id": None,
        "sort_order": 7,
    }

    updated = _save(actor, name="Oceania", sort_order=8)
    assert (updated.created, updated.changed, updated.obj.pk) == (False, True, created.obj.pk)
    record = AuditRecord.objects.get(action="region.update")
    assert (record.before, record.after) == ({"sort_order": 7}, {"sort_order": 8})

    again = _save(actor, name="Oceania", sort_order=8)
    assert (again.created, again.changed) == (False, False)
    assert AuditRecord.objects.count() == 2
    assert Region.objects.get(code="oceania").sort_order == 8


def test_an_invalid_value_names_its_field_and_writes_nothing():
    _save(Actor.system(), name="Oceania")
    with pytest.raises(ValidationError) as exc:
        _save(Actor.system(), name="x" * 101)
    assert list(exc.value.message_dict) == ["name"]
    assert Region.objects.get(code="oceania").name == "Oceania"
    assert AuditRecord.objects.count() == 1
    with pytest.raises(ValidationError) as exc, transaction.atomic():
        audited_save(Region, actor=None, keys={"code": "new"}, fields={"name": ""})
    assert list(exc.value.message_dict) == ["name"]
    assert not Region.objects.filter(code="new").exists()


def test_update_of_a_read_instance_with_an_action_of_its_own(admin_user):
    region = Region.objects.create(code="europe", name="Europe")
    result = audited_update(
        region, actor=admin_user, fields={"sort_order": 2}, action="region.reorder"
    )
    assert result.changed is True
    record = AuditRecord.objects.get()
    assert (record.action, record.actor_label, record.after) == (
        "region.reorder",
        "sec-admin",
        {"sort_order": 2},
    )
    assert audited_update(region, actor=admin_user, fields={"sort_order": 2}).changed is False
    assert AuditRecord.objects.count() == 1


def test_an_unknown_field_is_a_programming_error():
    region = Region.objects.create(code="asia", name="Asia")
    with pytest.raises(TypeError, match="has no field colour"):
        audited_update(region, actor=None, fields={"colour": "red"})


def test_the_same_moment_in_another_time_zone_is_no_change():
    from urbis.common.models import Job

    user = UserFactory(username="owner")
    moment = dt.datetime(2026, 9, 1, 10, 0, tzinfo=dt.UTC)
    job = Job.objects.create(kind="x", title="x", requested_by=user, started_at=moment)
    job.refresh_from_db()
    plus_two = dt.timezone(dt.timedelta(hours=2))
    same = audited_update(
        job, actor=None, fields={"started_at": moment.astimezone(plus_two)}, validate=False
    )
    assert same.changed is False
    assert AuditRecord.objects.count() == 0


def test_excluded_fields_are_not_validated_and_actions_can_be_named():
    region = Region.objects.create(code="africa", name="Africa")
    with pytest.raises(ValidationError) as exc:
        audited_update(region, actor=None, fields={"name": ""})
    assert list(exc.value.message_dict) == ["name"]
    region.refresh_from_db()
    saved = audited_update(region, actor=None, fields={"name": ""}, exclude=["name"])
    assert (saved.changed, Region.objects.get(code="africa").name) == (True, "")
    with transaction.atomic():
        created = audited_save(
            Region,
            actor=None,
            keys={"code": "arctic"},
            fields={"name": "Arctic"},
            actions=("regions.open", "regions.rename"),
        )
        audited_save(
            Region,
            actor=None,
            keys={"code": "arctic"},
            fields={"name": "Arctic Circle"},
            actions=("regions.open", "regions.rename"),
        )
    assert created.created is True
    assert list(
        AuditRecord.objects.filter(target_id=str(created.obj.pk))
        .order_by("id")
        .values_list("action", "after")
    ) == [
        ("regions.open", {"code": "arctic", "name": "Arctic", "parent_id": None, "sort_order": 0}),
        ("regions.rename", {"name": "Arctic Circle"}),
    ]
