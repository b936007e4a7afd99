"""Concurrent invoice issues: one invoice per member and year, numbers without gaps or
duplicates (run on PostgreSQL, where the threads really race)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from tests.factories.members import member_since
from urbis.dues.domain import ledger as domain
from urbis.dues.models import Invoice
from urbis.dues.queries import ledger as queries

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs concurrent connections (PostgreSQL)"
    ),
]

THREADS = 8


def _race(targets) -> list[object]:
    barrier = threading.Barrier(len(targets))
    outcomes: list[object] = []
    lock = threading.Lock()

    def run(target) -> None:
        try:
            barrier.wait()
            result: object = target()
        except ValidationError as exc:
            result = exc
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(t,)) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


@pytest.fixture
def orgs(db):
    domain.fee_schedules_load(schedules=queries.schedules_from_file(), actor=None)
    return [
        member_since(dt.date(2015, 1, 1), name=f"City {i}", country="KR") for i in range(THREADS)
    ]


def test_concurrent_issues_for_different_members_number_without_gaps(orgs):
    _race([
        (lambda o=o: domain.invoice_issue(actor=None, organisation=o, fiscal_year=2026))
        for o in orgs
    ])  # fmt: skip
    numbers = sorted(Invoice.objects.filter(fiscal_year=2026).values_list("number", flat=True))
    assert numbers == [f"2026-{n:04d}" for n in range(1, THREADS + 1)]


def test_concurrent_issues_for_one_member_yield_one_invoice_and_clear_refusals(orgs):
    org = orgs[0]
    outcomes = _race(
        [lambda: domain.invoice_issue(actor=None, organisation=org, fiscal_year=2026)] * THREADS
    )
    assert list(Invoice.objects.values_list("number", flat=True)) == ["2026-0001"]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(refused) == THREADS - 1
    assert all("already has an invoice for 2026" in str(o) for o in refused)


def test_concurrent_bulk_issues_issue_each_invoice_once(orgs):
    outcomes = _race([lambda: domain.invoices_issue(actor=None, fiscal_year=2026)] * 4)
    assert sorted(len(o.created) for o in outcomes) == [0, 0, 0, THREADS]  # type: ignore[attr-defined]
    assert Invoice.objects.filter(fiscal_year=2026).count() == THREADS
