import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.members import UserFactory
from urbis.common import roles
from urbis.common.auth import RoleLoadingBackend

pytestmark = pytest.mark.django_db
BACKEND = "urbis.common.auth.RoleLoadingBackend"


def test_get_user_loads_the_roles_in_the_same_query():
    user = UserFactory(username="both")
    user.groups.add(Group.objects.get_or_create(name=roles.STAFF)[0])
    user.groups.add(Group.objects.get_or_create(name=roles.EXCOM)[0])
    with CaptureQueriesContext(connection) as ctx:
        loaded = RoleLoadingBackend().get_user(user.pk)
        checks = [roles.has_role(loaded, r) for r in (roles.STAFF, roles.EXCOM, roles.ADMIN)]
    assert len(ctx.captured_queries) == 1
    assert loaded.pk == user.pk
    assert loaded._urbis_roles == {roles.STAFF, roles.EXCOM}
    assert checks == [True, True, False]


def test_a_user_without_groups_has_no_roles_and_unknown_or_inactive_users_are_none():
    user = UserFactory(username="plain")
    assert RoleLoadingBackend().get_user(user.pk)._urbis_roles == set()
    assert RoleLoadingBackend().get_user(user.pk + 1000) is None
    user.is_active = False
    user.save()
    assert RoleLoadingBackend().get_user(user.pk) is None


def test_a_role_check_in_a_request_costs_no_query_of_its_own(client, staff_user):
    client.force_login(staff_user, backend=BACKEND)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/api/v1/dues/review", {"as_of": "2023-09-01"})
    assert response.status_code == 200
    role_queries = [q["sql"] for q in ctx.captured_queries if "auth_group" in q["sql"]]
    assert len(role_queries) == 1
    assert "auth_user" in role_queries[0].split("FROM")[1]  # the user's own query
