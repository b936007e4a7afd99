"""Concurrent duplicate votes and check-ins: exactly one row each (run on PostgreSQL)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from tests.factories.governance import (
    AgendaItemFactory,
    DelegateFactory,
    MeetingFactory,
    QuorumRuleFactory,
    members,
)
from urbis.governance import domain
from urbis.governance.models import CheckIn, Vote

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs concurrent connections (PostgreSQL)"
    ),
]

THREADS = 8


def _race(target) -> list[object]:
    barrier = threading.Barrier(THREADS)
    outcomes: list[object] = []
    lock = threading.Lock()

    def run() -> None:
        try:
            barrier.wait()
            result: object = target()
        except ValidationError as exc:
            result = exc
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_concurrent_duplicate_votes_yield_one_row():
    QuorumRuleFactory()
    org = members(1)[0]
    meeting = MeetingFactory()
    delegate = DelegateFactory(meeting=meeting, organisation=org)
    domain.attendance_check_in(actor=None, delegate=delegate)
    item = AgendaItemFactory(meeting=meeting, method="roll_call")
    outcomes = _race(
        lambda: domain.vote_cast(actor=None, agenda_item=item, organisation=org, choice="for")
    )
    assert Vote.objects.filter(agenda_item=item, organisation=org).count() == 1
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(refused) == THREADS - 1
    assert all("one vote per member" in str(o) for o in refused)


def test_concurrent_check_ins_yield_one_row():
    QuorumRuleFactory()
    org = members(1)[0]
    delegate = DelegateFactory(meeting=MeetingFactory(), organisation=org)
    outcomes = _race(lambda: domain.attendance_check_in(actor=None, delegate=delegate)[1])
    assert CheckIn.objects.filter(delegate=delegate).count() == 1
    assert sorted(outcomes, key=str) == [False] * (THREADS - 1) + [True]


def test_concurrent_check_ins_by_id_yield_one_row_and_one_audit_record():
    """The single-statement check-in (PostgreSQL) under the same race."""
    from urbis.common.models import AuditRecord

    QuorumRuleFactory()
    org = members(1)[0]
    meeting = MeetingFactory(slug="race")
    delegate = DelegateFactory(meeting=meeting, organisation=org)
    outcomes = _race(
        lambda: domain.attendance_check_in_by_id(
            actor=None, meeting_slug="race", delegate_id=delegate.pk
        )
    )
    assert CheckIn.objects.filter(delegate=delegate).count() == 1
    assert sorted(o.created for o in outcomes) == [False] * (THREADS - 1) + [True]
    assert len({(o.mode, o.at) for o in outcomes}) == 1
    assert AuditRecord.objects.filter(action="attendance.check_in").count() == 1


@pytest.mark.parametrize("method", ["roll_call", "secret_ballot"])
def test_concurrent_duplicate_votes_by_id_yield_one_row_and_one_audit_record(method):
    """The single-statement vote (PostgreSQL) under the same race: the constraint lets one
    INSERT through, and the others write no ballot paper and no audit record either."""
    from urbis.common.models import AuditRecord
    from urbis.governance.models import Ballot

    QuorumRuleFactory()
    org = members(1)[0]
    meeting = MeetingFactory()
    domain.attendance_check_in(
        actor=None, delegate=DelegateFactory(meeting=meeting, organisation=org)
    )
    item = AgendaItemFactory(meeting=meeting, method=method)
    outcomes = _race(
        lambda: domain.vote_cast_by_id(
            actor=None, agenda_item_id=item.pk, organisation_id=org.pk, choice="for"
        )
    )
    vote = Vote.objects.get(agenda_item=item, organisation=org)
    cast = [o for o in outcomes if isinstance(o, domain.CastVote)]
    assert [c.vote_id for c in cast] == [vote.pk]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(refused) == THREADS - 1
    assert all("one vote per member" in str(o) for o in refused)
    assert Ballot.objects.filter(agenda_item=item).count() == (method == "secret_ballot")
    assert AuditRecord.objects.filter(action="vote.cast").count() == 1
