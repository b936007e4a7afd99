"""Backup → damage → restore gives back every row of every table."""

import datetime as dt

import pytest
from django.apps import apps
from django.core.management import call_command

from tests.factories.members import ContactFactory, LifecycleEventFactory, OrganisationFactory


def _all_rows() -> dict[str, list[tuple]]:
    rows = {}
    for model in apps.get_models():
        fields = [f.attname for f in model._meta.concrete_fields]
        rows[model._meta.label] = list(model.objects.order_by("pk").values_list(*fields))
    return rows


@pytest.mark.django_db(transaction=True)
def test_backup_restore_round_trip(tmp_path):
    for i in range(5):
        org = OrganisationFactory(name=f"Backup City {i}", population=1000 + i)
        LifecycleEventFactory(organisation=org, kind="approved", date=dt.date(2015, 1, 1))
        ContactFactory(organisation=org)
    before = _all_rows()
    target = tmp_path / "urbis.backup"
    call_command("backup", str(target))
    assert target.stat().st_size > 0

    type(org).objects.filter(name__startswith="Backup City 1").delete()
    OrganisationFactory(name="Added after the backup")
    assert _all_rows() != before

    call_command("restore", str(target))
    assert _all_rows() == before
