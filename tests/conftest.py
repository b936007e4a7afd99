"""Shared fixtures: users holding each role of the design."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import translation

from tests.factories.members import ContactFactory, OrganisationFactory, UserFactory
from urbis.common import roles


def _user_with_role(role: str | None, username: str):
    user = UserFactory(username=username)
    if role:
        group, _ = Group.objects.get_or_create(name=role)
        user.groups.add(group)
    return user


@pytest.fixture
def admin_user(db):
    return _user_with_role(roles.ADMIN, "sec-admin")


@pytest.fixture
def staff_user(db):
    return _user_with_role(roles.STAFF, "sec-staff")


@pytest.fixture
def excom_user(db):
    return _user_with_role(roles.EXCOM, "excom")


@pytest.fixture
def evaluator_user(db):
    return _user_with_role(roles.EVALUATOR, "judge")


@pytest.fixture
def focal_point(db):
    """A focal point user and the member organisation it speaks for."""
    user = _user_with_role(roles.FOCAL_POINT, "focal")
    org = OrganisationFactory(name="Focal City")
    ContactFactory(organisation=org, user=user, is_focal_point=True, name="Focal Person")
    return user, org


def empty_database() -> None:
    """Flush every table. The database refuses to delete a closed prize round's scores
    (they are immutable), and SQLite empties tables with DELETE in no fixed order: remove
    the rounds first, in the same transaction, so the guard sees no closed round (foreign
    keys are checked at commit, when every table is empty)."""
    if connection.vendor != "sqlite":  # PostgreSQL's TRUNCATE fires no row triggers
        call_command("flush", interactive=False, verbosity=0)
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM prize_round")
        cursor.execute("DELETE FROM prize_score")
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The shipped 6th GA data set, loaded once for a module of read-only tests.

    Afterwards every table is emptied (and the role groups, which a data migration creates,
    are put back), so the tests that follow see the database they expect.
    """
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=io.StringIO())
        yield
        empty_database()
        for name in roles.ALL_ROLES:
            Group.objects.get_or_create(name=name)


@pytest.fixture
def run_jobs(db, monkeypatch):
    """Run the queued tasks as the task worker (`urbis db_worker`) would, in this process and
    this test's transaction: the worker's own loop, stopped when the queue is empty. Returns
    the number of tasks it ran."""
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.models import DBTaskResult

    # The worker closes connections it thinks are broken; inside a test's transaction that
    # would be the test's own connection.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run() -> int:
        before = DBTaskResult.objects.finished().count()
        db_worker.Worker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="test-worker",
            excluded_queue_names=[],
        ).run()
        return DBTaskResult.objects.finished().count() - before

    return run


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A page requested in another language leaves that language active on the thread
    (`LocaleMiddleware` activates it); code called directly by the next test (dashboards,
    portal sections) would speak it. Each test starts from the default language."""
    yield
    translation.deactivate()
