"""A dropped database connection during check-in traffic (PostgreSQL only).

Restarting the shared PostgreSQL server would disturb others, so the drop is simulated: a
second connection of this test terminates the backend of the application's connection
(pg_terminate_backend on a connection the test owns). The client closes the dead connection,
retries, and in the end every delegate is checked in exactly once: none lost, none doubled
(the register allows one entry per delegate, and a retried check-in reports "already").

Runs only on PostgreSQL and only when URBIS_PG_FAULTS=1, so that a shared suite run does not
kill connections unasked.
"""

from __future__ import annotations

import os

import pytest
from django.db import InterfaceError, OperationalError, connection

from tests.factories.governance import DelegateFactory, MeetingFactory, QuorumRuleFactory, members
from urbis.governance import domain
from urbis.governance.models import CheckIn

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        os.environ.get("URBIS_PG_FAULTS") != "1",
        reason="set URBIS_PG_FAULTS=1 on a PostgreSQL run to terminate a backend",
    ),
]

DELEGATES = 40
KILL_AT = (10, 25)


def test_check_ins_survive_a_terminated_backend(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    import psycopg

    QuorumRuleFactory()
    meeting = MeetingFactory(slug="pg-fault")
    delegates = [DelegateFactory(meeting=meeting, organisation=o) for o in members(DELEGATES)]
    s = connection.settings_dict
    killer = psycopg.connect(
        dbname=s["NAME"], user=s["USER"], password=s["PASSWORD"], host=s["HOST"] or None,
        port=s["PORT"] or None, autocommit=True,
    )  # fmt: skip
    drops = retries = already = 0
    try:
        for i, delegate in enumerate(delegates):
            if i in KILL_AT:
                connection.ensure_connection()
                pid = connection.connection.info.backend_pid
                killer.execute("SELECT pg_terminate_backend(%s)", [pid])
                drops += 1
            for _attempt in range(3):
                try:
                    _, created = domain.attendance_check_in(actor=None, delegate=delegate)
                    already += not created
                    break
                except (OperationalError, InterfaceError):
                    retries += 1
                    try:
                        connection.close()
                    except (OperationalError, InterfaceError):
                        connection.connection = None
            else:
                pytest.fail(f"delegate {i} could not be checked in after 3 tries")
    finally:
        killer.close()
    per_delegate = list(
        CheckIn.objects.filter(meeting=meeting).values_list("delegate_id", flat=True)
    )
    print(f"\n{DELEGATES} check-ins, {drops} terminated backends, {retries} retries, "
          f"{already} reported already checked in; {len(per_delegate)} rows")  # fmt: skip
    assert drops == len(KILL_AT) and retries >= drops
    assert sorted(per_delegate) == sorted(d.pk for d in delegates)
