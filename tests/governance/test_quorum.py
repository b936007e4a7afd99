import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.governance import MeetingFactory, QuorumRuleFactory, members
from tests.governance.conftest import attend
from urbis.governance import queries

pytestmark = pytest.mark.django_db


def test_quorum_counts_good_standing_local_governments_on_convocation_date(assembly):
    m = assembly["meeting"]
    attend(m, assembly["cities"][:40])
    attend(m, [assembly["corp"], assembly["late"], assembly["suspended"]])
    q = queries.quorum_for(m)
    assert (q.present, q.eligible, q.required, q.met) == (40, 163, 41, False)
    attend(m, assembly["cities"][40:41])
    q = queries.quorum_for(m)
    assert (q.present, q.eligible, q.required, q.met) == (41, 163, 41, True)
    assert q.population == sum(1000 + i for i in range(41))


@pytest.mark.parametrize(("n", "required"), [(160, 40), (161, 41), (165, 42)])
def test_required_from_registry(db, n, required):
    QuorumRuleFactory()
    members(n)
    q = queries.quorum_for(MeetingFactory())
    assert (q.eligible, q.required) == (n, required)


def test_quorum_uses_a_constant_number_of_queries(assembly):
    m = assembly["meeting"]
    attend(m, assembly["cities"][:3])
    with CaptureQueriesContext(connection) as few:
        queries.quorum_for(m)
    attend(m, assembly["cities"][3:60])
    with CaptureQueriesContext(connection) as many:
        queries.quorum_for(m)
    assert len(few.captured_queries) == len(many.captured_queries) == 2
