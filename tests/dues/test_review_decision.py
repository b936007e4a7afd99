"""Applying a review because the agenda item that approves it was decided, in the
transaction that records the decision: adopted applies, rejected applies nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from tests.factories.members import LifecycleEventFactory, member_since
from urbis.dues.domain import review_apply_for_decision
from urbis.dues.models import StatusReview
from urbis.members.models import LifecycleEvent

pytestmark = pytest.mark.django_db
D = dt.date
AS_OF = D(2026, 9, 1)  # a 7th Assembly's review
DECISION = "7th GA, agenda 4"


def _quiet_cities():
    return [member_since(D(2018, 1, 1), name=name) for name in ("Quiet", "Silent")]


def test_an_adopted_item_applies_the_transitions_citing_the_decision(staff_user):
    _quiet_cities()
    with transaction.atomic():
        review = review_apply_for_decision(
            actor=staff_user, as_of=AS_OF, decision_ref=DECISION, decided_on=D(2026, 9, 24),
            adopted=True,
        )  # fmt: skip
    assert review is not None and review.decision_ref == DECISION
    events = LifecycleEvent.objects.filter(kind="suspended").order_by("organisation__name")
    assert [(e.organisation.name, e.date, e.decision_ref) for e in events] == [
        ("Quiet", D(2026, 9, 24), DECISION),
        ("Silent", D(2026, 9, 24), DECISION),
    ]


def test_a_rejected_item_applies_nothing(staff_user):
    _quiet_cities()
    with transaction.atomic():
        outcome = review_apply_for_decision(
            actor=staff_user, as_of=AS_OF, decision_ref=DECISION, decided_on=D(2026, 9, 24),
            adopted=False,
        )  # fmt: skip
    assert outcome is None
    assert not LifecycleEvent.objects.filter(kind="suspended").exists()
    assert not StatusReview.objects.exists()


def test_a_refused_application_rolls_back_the_callers_transaction(staff_user):
    quiet, _ = _quiet_cities()
    other = member_since(D(2010, 1, 1), name="Other")
    with pytest.raises(ValidationError, match="Not new proposals"), transaction.atomic():
        # the caller's own write in the same transaction (standing in for its decision)
        LifecycleEventFactory(organisation=other, kind="withdrawn", date=D(2026, 9, 24))
        review_apply_for_decision(
            actor=staff_user, as_of=AS_OF, decision_ref=DECISION, decided_on=D(2026, 9, 24),
            adopted=True, approved=[quiet.pk, 10**9],
        )  # fmt: skip
    assert not LifecycleEvent.objects.filter(kind__in=["suspended", "withdrawn"]).exists()
