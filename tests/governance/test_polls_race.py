"""The vote/close race on PostgreSQL: many members vote while the chair closes the poll (or
decides the item). Every vote answered as recorded is counted, and no other."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from tests.factories.governance import (
    AgendaItemFactory,
    MeetingFactory,
    QuorumRuleFactory,
    members,
)
from tests.governance.conftest import attend
from urbis.common.actor import Actor
from urbis.governance import domain
from urbis.governance.models import Decision, Poll, PollOption, PollParticipation, Vote

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs concurrent connections (PostgreSQL)"
    ),
]

VOTERS = 48
SYSTEM = Actor.system()


def _run_all(targets) -> list[tuple[int, object]]:
    """Run every target in its own thread, released together; (index, outcome) each."""
    barrier = threading.Barrier(len(targets))
    outcomes: list[tuple[int, object]] = []
    lock = threading.Lock()

    def run(i, target) -> None:
        try:
            barrier.wait()
            result: object = target()
        except Exception as exc:  # the refusals are what the test counts
            result = exc
        finally:
            connections.close_all()
        with lock:
            outcomes.append((i, result))

    threads = [threading.Thread(target=run, args=(i, t)) for i, t in enumerate(targets)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


@pytest.mark.parametrize("method", ["secret", "roll_call"])
def test_every_recorded_vote_is_counted_and_none_after_the_close(method):
    QuorumRuleFactory()
    cities = members(VOTERS + 4)
    meeting = MeetingFactory()
    attend(meeting, cities[:VOTERS], actor=SYSTEM)
    item = AgendaItemFactory(meeting=meeting, kind="approval")
    poll = domain.poll_open(item=item, kind="motion", method=method, actor=SYSTEM)
    options = list(poll.options.order_by("position").values_list("pk", flat=True))

    def voter(n):
        return lambda: domain.poll_vote_cast(
            poll=poll, organisation=cities[n], option_ids=[options[n % 2]], actor=SYSTEM
        )

    # The chair closes in the middle of the crowd of voters.
    targets = [voter(n) for n in range(VOTERS // 2)]
    targets.append(lambda: domain.poll_close(poll=poll, actor=SYSTEM))
    targets += [voter(n) for n in range(VOTERS // 2, VOTERS)]
    outcomes = _run_all(targets)
    recorded = [r for _, r in outcomes if isinstance(r, domain.VoteReceipt)]
    refused = [r for _, r in outcomes if isinstance(r, domain.PollClosedError)]
    closes = [r for _, r in outcomes if not isinstance(r, domain.VoteReceipt | Exception)]
    others = [r for _, r in outcomes if isinstance(r, Exception) and r not in refused]
    assert others == []
    assert len(closes) == 1
    assert len(recorded) + len(refused) == VOTERS
    result = closes[0]
    counted = sum(o.votes for o in result.options)
    assert counted == len(recorded) == result.ballots_cast
    assert PollParticipation.objects.filter(poll=poll).count() == len(recorded)
    assert sum(PollOption.objects.filter(poll=poll).values_list("votes", flat=True)) == counted
    for_votes = sum(
        1
        for r in recorded
        if cities.index(next(c for c in cities if c.pk == r.organisation_id)) % 2 == 0
    )
    assert result.options[0].votes == for_votes
    assert Poll.objects.get(pk=poll.pk).state == "closed"


def test_item_votes_and_the_decision_read_under_one_lock():
    """The item-level vote (for / against / abstain) and the decision: a vote answered as
    recorded is in the decision's count, on both the ORM path and the one-statement path."""
    QuorumRuleFactory()
    cities = members(VOTERS)
    meeting = MeetingFactory()
    attend(meeting, cities, actor=SYSTEM)
    item = AgendaItemFactory(meeting=meeting, kind="approval", method="roll_call")

    def voter(n):
        if n % 2:
            return lambda: domain.vote_cast(
                actor=None, agenda_item=item, organisation=cities[n], choice="for"
            )
        return lambda: domain.vote_cast_by_id(
            actor=None, agenda_item_id=item.pk, organisation_id=cities[n].pk, choice="for"
        )

    targets = [voter(n) for n in range(VOTERS // 2)]
    targets.append(lambda: domain.decision_record(actor=None, agenda_item=item))
    targets += [voter(n) for n in range(VOTERS // 2, VOTERS)]
    outcomes = _run_all(targets)
    refused = [r for _, r in outcomes if isinstance(r, ValidationError)]
    assert all("already decided" in str(r) for r in refused), refused
    decision = Decision.objects.get(agenda_item=item)
    rows = Vote.objects.filter(agenda_item=item).count()
    assert decision.votes_for == rows
    assert rows + len(refused) == VOTERS
