"""A secret poll stays secret: no running tally, and in the database no row, order,
timestamp or transaction id links a choice to its voter (both databases)."""

import pytest
from django.db import connection

from tests.factories.governance import AgendaItemFactory
from tests.governance.conftest import attend
from urbis.common.actor import Actor
from urbis.common.models import AuditRecord
from urbis.governance import domain, queries
from urbis.governance.models import Poll, PollBallot, PollOption, PollParticipation, PollTally
from urbis.governance.models.polls import TALLY_SLOTS

pytestmark = pytest.mark.django_db

SYSTEM = Actor.system()


def _rows(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def test_secret_poll_links_no_choice_to_a_voter(assembly):
    m = assembly["meeting"]
    cities = assembly["cities"]
    attend(m, cities[:45])
    item = AgendaItemFactory(meeting=m, kind="approval")
    poll = domain.poll_open(item=item, kind="motion", method="secret", actor=SYSTEM)
    options = list(poll.options.order_by("position"))
    before = _rows(
        "SELECT id, position FROM governance_polloption WHERE poll_id = %s ORDER BY id", [poll.pk]
    )
    if connection.vendor == "postgresql":
        (option_xmin,) = _rows(
            "SELECT DISTINCT xmin::text FROM governance_polloption WHERE poll_id = %s",
            [poll.pk],
        )[0]
    is_pg = connection.vendor == "postgresql"
    tally_rows = _rows(
        "SELECT id, option_id, slot FROM governance_polltally WHERE poll_id = %s ORDER BY id",
        [poll.pk],
    )
    assert len(tally_rows) == 3 * TALLY_SLOTS
    for n, org in enumerate(cities[:9]):
        domain.poll_vote_cast(
            poll=poll, organisation=org, option_ids=[options[n % 3].pk], actor=SYSTEM
        )
        # No running tally for anyone while the poll is open.
        assert queries.poll_result(poll) is None
        if is_pg:
            # The join an attacker would try: the voter's transaction id against the counter
            # rows. It finds one slot of every option (whichever was marked), and the slot's
            # values are masked: not the votes it holds.
            rows = _rows(
                "SELECT t.option_id, t.slot, t.votes FROM governance_polltally t"
                " JOIN governance_pollparticipation p ON p.xmin = t.xmin"
                " WHERE p.poll_id = %s AND p.organisation_id = %s",
                [poll.pk, org.pk],
            )
            assert sorted(r[0] for r in rows) == sorted(o.pk for o in options)
            assert len({r[1] for r in rows}) == 1
            assert not all(r[2] in (0, 1) for r in rows)
            # The option rows themselves are not touched while the poll is open.
            assert _rows(
                "SELECT DISTINCT xmin::text FROM governance_polloption WHERE poll_id = %s",
                [poll.pk],
            ) == [(option_xmin,)]
    # The counter rows are those created at the opening (no row inserted by a vote).
    assert (
        _rows(
            "SELECT id, option_id, slot FROM governance_polltally WHERE poll_id = %s ORDER BY id",
            [poll.pk],
        )
        == tally_rows
    )
    # No ballot rows: nothing to join by id, order or timestamp.
    assert PollBallot.objects.filter(poll=poll).count() == 0
    # The option rows are those created at the opening (ids, order) and carry no time.
    after = _rows(
        "SELECT id, position FROM governance_polloption WHERE poll_id = %s ORDER BY id", [poll.pk]
    )
    assert after == before
    assert not any(
        f.get_internal_type() in {"DateTimeField", "DateField"} for f in PollOption._meta.fields
    )
    # The only columns that name a member are on the participation, which names no option.
    participation_columns = {f.column for f in PollParticipation._meta.fields}
    assert not participation_columns & {"option_id", "choice", "votes"}
    # The audit trail records that a member voted, never what.
    for record in AuditRecord.objects.filter(action="poll.vote"):
        assert set(record.after) == {"organisation"}
    result = domain.poll_close(poll=poll, actor=SYSTEM)
    assert [o.votes for o in result.options] == [3, 3, 3]
    assert result.ballots_cast == 9
    # The close keeps the totals only: the counter slots are gone.
    assert PollTally.objects.filter(poll=poll).count() == 0


def test_open_poll_keeps_the_ballots_and_a_running_tally(assembly):
    m = assembly["meeting"]
    cities = assembly["cities"]
    attend(m, cities[:45])
    item = AgendaItemFactory(meeting=m, kind="approval")
    poll = domain.poll_open(item=item, kind="motion", method="roll_call", actor=SYSTEM)
    against = poll.options.get(choice="against")
    domain.poll_vote_cast(poll=poll, organisation=cities[0], option_ids=[against.pk], actor=SYSTEM)
    ballot = PollBallot.objects.get(poll=poll)
    assert (ballot.organisation_id, ballot.option_id) == (cities[0].pk, against.pk)
    running = queries.poll_result(poll)
    assert running is not None and [o.votes for o in running.options] == [0, 1, 0]
    assert running.final is False and running.outcome == ""
    assert Poll.objects.get(pk=poll.pk).state == "open"
