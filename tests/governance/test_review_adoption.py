"""An agenda item that approves a membership review applies it when it is adopted, in the
decision's transaction, and each lifecycle event cites the decision; a rejected item (the
quorum not met) applies nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tests.factories.governance import AgendaItemFactory, MeetingFactory, QuorumRuleFactory
from tests.factories.members import member_since
from tests.governance.conftest import attend
from urbis.governance import domain
from urbis.members.models import LifecycleEvent

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def seventh(staff_user):
    """A synthetic 7th Assembly (2026): two active cities attend, two quiet ones do not."""
    QuorumRuleFactory()
    active = [member_since(D(2024, 1, 1), name=n) for n in ("Active A", "Active B")]
    quiet = [member_since(D(2015, 1, 1), name=n) for n in ("Quiet", "Silent")]
    meeting = MeetingFactory(
        title="7th General Assembly", slug="ga7", date=D(2026, 9, 24),
        convocation_date=D(2026, 9, 1), time_zone="Asia/Almaty",
    )  # fmt: skip
    item = AgendaItemFactory(
        meeting=meeting, number=4, kind="approval", method="consensus",
        membership_review_ref="Membership review 2023-2026",
        membership_review_as_of=D(2026, 9, 1),
    )  # fmt: skip
    return {"meeting": meeting, "item": item, "active": active, "quiet": quiet}


def test_adopting_the_item_suspends_the_proposed_members_citing_the_decision(seventh, staff_user):
    attend(seventh["meeting"], seventh["active"], actor=staff_user)
    decision = domain.decision_record(actor=staff_user, agenda_item=seventh["item"])
    assert decision.result == "adopted"
    events = LifecycleEvent.objects.filter(kind="suspended").order_by("organisation__name")
    assert [(e.organisation.name, e.date, e.decision_ref) for e in events] == [
        ("Quiet", D(2026, 9, 24), "7th General Assembly, agenda 4"),
        ("Silent", D(2026, 9, 24), "7th General Assembly, agenda 4"),
    ]


def test_an_item_not_adopted_applies_nothing(seventh, staff_user):
    # nobody present: the quorum (1 of 4) is not met, so the item cannot be adopted
    with pytest.raises(ValidationError, match=r"Quorum not met .*0 present, 1 required of 4"):
        domain.decision_record(actor=staff_user, agenda_item=seventh["item"])
    assert not LifecycleEvent.objects.filter(kind="suspended").exists()


def test_a_past_record_without_a_review_date_only_records_the_decision(seventh, staff_user):
    item = seventh["item"]
    item.membership_review_as_of = None
    item.save(update_fields=["membership_review_as_of"])
    attend(seventh["meeting"], seventh["active"], actor=staff_user)
    assert domain.decision_record(actor=staff_user, agenda_item=item).result == "adopted"
    assert not LifecycleEvent.objects.filter(kind="suspended").exists()
