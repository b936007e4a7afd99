"""The vote/close race on PostgreSQL: many members vote while the chair closes the poll (or
decides the item). Every vote answered as recorded is counted, and no other."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from tests.factories.governance import (
    AgendaItemFactory,
    MeetingFactory,
    QuorumRuleFactory,
    members,
)
from tests.governance.conftest import attend
from urbis.common.actor import Actor
from urbis.common.errors import Conflict
from urbis.governance import domain
from urbis.governance.models import (
    Decision,
    Poll,
    PollOption,
    PollParticipation,
    Proxy,
    QuorumRule,
    Vote,
)

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


PAIRS = 16


def _mandate(n: int = 1):
    """Proxies on; `n` present members each holding the mandate of an absent one; a secret
    poll open. Returns (holders, grantors, mandates, poll, the "for" option)."""
    QuorumRuleFactory()
    QuorumRule.objects.update(proxies_allowed=True, proxy_cap=1)
    cities = members(2 * n)
    holders, grantors = cities[:n], cities[n:]
    meeting = MeetingFactory()
    attend(meeting, holders, actor=SYSTEM)
    proxies = [
        domain.proxy_grant(
            meeting=meeting, grantor=g, holder=h, granted_on=dt.date(2023, 9, 20), actor=SYSTEM
        )
        for g, h in zip(grantors, holders, strict=True)
    ]
    item = AgendaItemFactory(meeting=meeting, kind="approval")
    poll = domain.poll_open(item=item, kind="motion", method="secret", actor=SYSTEM)
    return holders, grantors, proxies, poll, poll.options.get(choice="for").pk


def _in_thread(target, outcome: list) -> threading.Thread:
    def run() -> None:
        try:
            outcome.append(target())
        except Exception as exc:  # the refusal is what the test looks at
            outcome.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _first_holds_the_lock_until(first, then) -> tuple[object, object]:
    """`first` runs in a transaction held open until `then`, started meanwhile, waits on a
    row lock (seen in pg_stat_activity); then `first` commits. Returns both outcomes."""
    ready, release = threading.Event(), threading.Event()
    first_out: list = []
    then_out: list = []

    def hold():
        with transaction.atomic():
            out = first()
            ready.set()
            assert release.wait(60)
        return out

    holder = _in_thread(hold, first_out)
    assert ready.wait(60)
    waiter = _in_thread(then, then_out)
    with connection.cursor() as cursor:
        for _ in range(100_000):
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                break
        else:
            raise AssertionError("the second party never waited on the first's lock")
    release.set()
    holder.join()
    waiter.join()
    return first_out[0], then_out[0]


def test_a_vote_under_a_mandate_makes_its_revocation_wait_then_refused():
    (holder,), (grantor,), (proxy,), poll, yes = _mandate()
    voted, revoked = _first_holds_the_lock_until(
        lambda: domain.poll_vote_cast(
            poll=poll, organisation=grantor, option_ids=[yes], actor=SYSTEM, proxy_holder=holder
        ),
        lambda: domain.proxy_revoke(proxy=proxy, actor=SYSTEM),
    )
    assert isinstance(voted, domain.VoteReceipt)
    assert voted.proxy_holder == holder.name
    assert isinstance(revoked, Conflict)
    assert f"{holder} has already cast the vote of {grantor} under this mandate" in str(revoked)
    assert Proxy.objects.filter(pk=proxy.pk).exists()
    result = domain.poll_close(poll=poll, actor=SYSTEM)
    assert (result.ballots_cast, result.options[0].votes) == (1, 1)


def test_a_revocation_in_flight_makes_the_vote_under_it_wait_then_refused():
    (holder,), (grantor,), (proxy,), poll, yes = _mandate()
    revoked, voted = _first_holds_the_lock_until(
        lambda: domain.proxy_revoke(proxy=proxy, actor=SYSTEM),
        lambda: domain.poll_vote_cast(
            poll=poll, organisation=grantor, option_ids=[yes], actor=SYSTEM, proxy_holder=holder
        ),
    )
    assert revoked is None
    assert isinstance(voted, domain.NotEligibleError)
    assert str(voted) == f"{holder} holds no proxy of {grantor} for {poll.meeting}."
    assert not Proxy.objects.filter(pk=proxy.pk).exists()
    assert not PollParticipation.objects.filter(poll=poll).exists()
    result = domain.poll_close(poll=poll, actor=SYSTEM)
    assert (result.ballots_cast, result.options[0].votes) == (0, 0)


def test_a_mandate_revoked_while_its_holder_votes_with_it_never_carries_a_vote_after():
    """Each of 16 present members casts the vote of the absent member whose mandate it holds
    while the chair revokes that mandate, all at once. For each mandate one of two things
    happens: the vote is recorded under it and the revocation, which waited for the vote,
    is refused (the mandate stands); or the revocation goes through and the vote is refused.
    Never both a recorded vote and a revoked mandate, and the close counts exactly the votes
    recorded."""
    holders, grantors, proxies, poll, yes = _mandate(PAIRS)

    def vote(n):
        return lambda: domain.poll_vote_cast(
            poll=poll,
            organisation=grantors[n],
            option_ids=[yes],
            actor=SYSTEM,
            proxy_holder=holders[n],
        )

    def revoke(n):
        return lambda: domain.proxy_revoke(proxy=proxies[n], actor=SYSTEM)

    targets = [
        t for n in range(PAIRS) for t in ((vote(n), revoke(n)) if n % 2 else (revoke(n), vote(n)))
    ]
    outcomes = dict(_run_all(targets))
    recorded = 0
    for n in range(PAIRS):
        first, second = outcomes[2 * n], outcomes[2 * n + 1]
        voted, revoked = (second, first) if n % 2 == 0 else (first, second)
        kept = Proxy.objects.filter(pk=proxies[n].pk).exists()
        if isinstance(voted, domain.VoteReceipt):
            assert voted.proxy_holder == holders[n].name
            assert isinstance(revoked, Conflict), revoked
            assert "has already cast the vote" in str(revoked)
            assert kept
            recorded += 1
        else:
            assert isinstance(voted, domain.NotEligibleError), voted
            assert f"holds no proxy of {grantors[n]}" in str(voted)
            assert revoked is None
            assert not kept
    carried = PollParticipation.objects.filter(poll=poll, proxy_holder__isnull=False)
    assert carried.count() == recorded
    assert set(carried.values_list("organisation_id", "proxy_holder_id")) <= {
        (g.pk, h.pk) for g, h in zip(grantors, holders, strict=True)
    }
    result = domain.poll_close(poll=poll, actor=SYSTEM)
    assert result.ballots_cast == recorded
    assert sum(o.votes for o in result.options) == recorded
