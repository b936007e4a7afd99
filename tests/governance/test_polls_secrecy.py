"""A secret poll stays secret: no running tally, and in the database no row, order,
timestamp or transaction id links a choice to its voter (both databases)."""

import pytest
from django.db import connection

from tests.factories.governance import AgendaItemFactory
from tests.governance.conftest import attend
from urbis.common.actor import Actor
from urbis.common.models import AuditRecord
from urbis.governance import domain, queries
from urbis.governance.models import Poll, PollBallot, PollOption, PollParticipation

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
    is_pg = connection.vendor == "postgresql"
    xmins = []
    for n, org in enumerate(cities[:9]):
        domain.poll_vote_cast(
            poll=poll, organisation=org, option_ids=[options[n % 3].pk], actor=SYSTEM
        )
        # No running tally for anyone while the poll is open.
        assert queries.poll_result(poll) is None
        if is_pg:
            # Every option row is rewritten by every vote: the transaction id on the option
            # rows is the same for all of them, whichever was marked (joining a voter's
            # transaction to the options finds all of them or none).
            rows = _rows(
                "SELECT DISTINCT xmin::text FROM governance_polloption WHERE poll_id = %s",
                [poll.pk],
            )
            assert len(rows) == 1
            xmins.append(rows[0][0])
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
    if is_pg:
        assert len(set(xmins)) == 9  # nine transactions, each touching every option


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
