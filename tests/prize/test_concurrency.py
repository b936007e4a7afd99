"""Concurrent application drafts: every one created, with distinct consecutive
references (run on PostgreSQL)."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from tests.factories.members import UserFactory
from tests.factories.prize import make_edition
from urbis.common.actor import Actor
from urbis.prize import domain
from urbis.prize.models import Application

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs concurrent connections (PostgreSQL)"
    ),
]

THREADS = 20


def test_twenty_concurrent_drafts_are_all_created():
    edition = make_edition(2026)
    category = edition.categories.get(code="tech-innovacity")
    users = [UserFactory(username=f"applicant-{i}") for i in range(THREADS)]
    barrier = threading.Barrier(THREADS)
    outcomes: list[object] = []
    lock = threading.Lock()

    def run(user) -> None:
        try:
            barrier.wait()
            result: object = domain.application_save_draft(
                actor=Actor.for_user(user),
                edition=edition,
                category=category,
                on=dt.date(2026, 5, 2),
                applicant_kind="city",
                applicant_name=f"City of {user.username}",
                city=user.username,
                country="NZ",
                title="A digital twin",
                summary="Engagement.",
            ).reference
        except Exception as exc:  # the test reports any failure
            result = exc
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [o for o in outcomes if not isinstance(o, str)] == []
    expected = [f"P2026-{n:05d}" for n in range(1, THREADS + 1)]
    assert sorted(outcomes) == expected  # type: ignore[type-var]
    assert (
        sorted(Application.objects.filter(edition=edition).values_list("reference", flat=True))
        == expected
    )
