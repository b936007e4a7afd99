import importlib

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command

from urbis.common import roles

pytestmark = pytest.mark.django_db

migration = importlib.import_module("urbis.common.migrations.0002_role_groups")


def test_migration_names_are_the_roles():
    assert migration.ROLE_NAMES == roles.ALL_ROLES


def test_migrated_database_has_one_group_per_role():
    names = set(Group.objects.filter(name__in=roles.ALL_ROLES).values_list("name", flat=True))
    assert names == set(roles.ALL_ROLES)


def test_migration_is_idempotent_and_reversible():
    migration.create_role_groups(apps, None)
    assert Group.objects.filter(name__in=roles.ALL_ROLES).count() == 5
    migration.delete_role_groups(apps, None)
    assert Group.objects.filter(name__in=roles.ALL_ROLES).count() == 0
    migration.create_role_groups(apps, None)
    assert Group.objects.filter(name__in=roles.ALL_ROLES).count() == 5


def test_ensure_demo_admin_uses_the_same_groups():
    before = Group.objects.count()
    call_command("ensure_demo_admin", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("ensure_demo_admin", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Group.objects.count() == before
    admin = get_user_model().objects.get(username="admin")
    assert list(admin.groups.values_list("name", flat=True)) == [roles.ADMIN]
    assert roles.is_admin(admin)


def test_groups_come_back_after_a_flush():
    """A flush (as transactional tests do between tests) empties the tables the data
    migration filled; the post_migrate handler fills them again."""
    call_command("flush", "--noinput", verbosity=0)
    assert set(Group.objects.values_list("name", flat=True)) == set(roles.ALL_ROLES)
