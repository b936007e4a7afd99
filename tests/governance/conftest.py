import datetime as dt

import pytest

from tests.factories.governance import MeetingFactory, QuorumRuleFactory, corporation, members
from urbis.governance import domain


@pytest.fixture
def assembly(db):
    """A GA convened on 5 Sep 2023 with 163 local governments in good standing, a
    suspended one, one approved after convocation, and a corporation."""
    QuorumRuleFactory()
    cities = members(163)
    late = members(1, since=dt.date(2023, 9, 10), prefix="Late")[0]
    suspended = members(1, prefix="Dormant")[0]
    suspended.lifecycle_events.create(kind="suspended", date=dt.date(2023, 1, 1))
    corp = corporation("Dwelling Co., Ltd")
    meeting = MeetingFactory(title="6th General Assembly", slug="ga6")
    return {
        "meeting": meeting,
        "cities": cities,
        "late": late,
        "suspended": suspended,
        "corp": corp,
    }


def attend(meeting, orgs, *, mode="on_site", position="Director", actor=None):
    for org in orgs:
        d = domain.delegate_accredit(
            actor=actor,
            meeting=meeting,
            organisation=org,
            name=f"Head {org.name}",
            position=position,
            mode=mode,
        )
        domain.attendance_check_in(actor=actor, delegate=d)
