"""On the shipped data set, the status review reproduces the 6th GA's decisions from history.

The suspensions and terminations recorded on 2023-09-26 (transcribed from the memorandum's
Annex 1) must be exactly what the review proposes as of 2023-09-01, for the same reasons,
computed from the (illustrative) dues and participation history.
"""

import datetime as dt

import pytest

from urbis.dues.queries.review import review_preview
from urbis.members.models import LifecycleEvent

pytestmark = pytest.mark.django_db
GA_DAY = dt.date(2023, 9, 26)


def _normalised(reason: str) -> str:
    return reason.replace("WeGO ", "").rstrip(".").lower()


def test_review_as_of_convocation_proposes_the_seeds_decisions(demo_data):
    decided = {
        (e.organisation.name, e.kind): e.reason
        for e in LifecycleEvent.objects.filter(
            date=GA_DAY, kind__in=["suspended", "terminated"]
        ).select_related("organisation")
    }
    assert len(decided) == 42
    assert sum(1 for _, kind in decided if kind == "suspended") == 22
    assert sum(1 for _, kind in decided if kind == "terminated") == 20

    preview = review_preview(as_of=dt.date(2023, 9, 1))
    proposed = {(i.proposal.name, i.proposal.propose.value): i for i in preview.items}
    assert set(proposed) == set(decided)
    for key, item in proposed.items():
        assert item.recorded is not None and item.recorded.date == GA_DAY
        seed, ours = _normalised(decided[key]), _normalised(item.proposal.reason)
        if "no participation" in seed:  # computed from the history: the very wording
            assert ours == seed, key
        else:  # a manual reason (entity gone, letter pending): the same ground
            ground = "exist" if "exist" in seed else "withdrawal letter"
            assert ground in seed and ground in ours, key


def test_review_after_the_assembly_proposes_nothing_new(demo_data):
    preview = review_preview(as_of=GA_DAY)
    assert [i.proposal.name for i in preview.items if i.recorded is None] == []
