import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.dues import PaymentFactory, ReviewFlagFactory
from tests.factories.members import LifecycleEventFactory, ParticipationFactory, member_since
from urbis.common.models import AuditRecord
from urbis.dues.domain import review as review_domain
from urbis.dues.models import StatusReview
from urbis.dues.queries.review import review_preview
from urbis.dues.rules import review as rules
from urbis.members.models import LifecycleEvent
from urbis.members.queries import state_as_of
from urbis.members.rules import State

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2023, 9, 1)
D = dt.date
CORP_SINCE = D(2018, 1, 1)
CITY_SINCE = D(2015, 1, 1)


def corp(name, since=CORP_SINCE):
    return member_since(since, name=name, category="corporation", corporate_category="sme")


def city(name, since=CITY_SINCE):
    return member_since(since, name=name)


def proposals(as_of=AS_OF):
    return {(p.name, p.propose.value, p.reason) for p in review_preview(as_of=as_of).new}


def test_inactive_local_government_is_proposed_for_suspension():
    quiet = city("Quiet")
    PaymentFactory(organisation=quiet, received_on=D(2020, 3, 1))
    ParticipationFactory(organisation=quiet, date=D(2019, 10, 1))
    busy = city("Busy")
    PaymentFactory(organisation=busy, received_on=D(2019, 3, 1))
    ParticipationFactory(organisation=busy, date=D(2022, 10, 1))  # took part: not inactive
    edge = city("Edge")  # exactly 3 years: not *more than* 3 years
    PaymentFactory(organisation=edge, received_on=D(2020, 9, 1))
    assert proposals() == {
        (
            "Quiet",
            "suspended",
            "No participation in activities and membership payment for more than 3 years.",
        )
    }


def test_evidence_gives_last_payment_and_participation():
    quiet = city("Quiet")
    PaymentFactory(organisation=quiet, received_on=D(2019, 3, 1))
    ParticipationFactory(organisation=quiet, date=D(2019, 10, 1))
    (item,) = review_preview(as_of=AS_OF).items
    assert item.proposal.evidence == {
        "as_of": "2023-09-01",
        "member_since": "2015-01-01",
        "last_payment": "2019-03-01",
        "last_participation": "2019-10-01",
        "years_without_activity": 3,
        "withdrawal_letter_pending": False,
        "flags": [],
    }


def test_corporations_are_terminated_with_the_years_counted_from_history():
    for name, last in [("Two", D(2021, 6, 1)), ("Three", D(2020, 6, 1)), ("Four", D(2019, 6, 1))]:
        PaymentFactory(organisation=corp(name), received_on=last)
    PaymentFactory(organisation=corp("Recent"), received_on=D(2022, 2, 1))
    reason = "No participation in activities and membership payment for {} years."
    assert proposals() == {
        ("Two", "terminated", reason.format(2)),
        ("Three", "terminated", reason.format(3)),
        ("Four", "terminated", reason.format(4)),
    }


def test_member_without_any_record_counts_from_approval():
    city("Old", since=D(2016, 1, 1))
    city("New", since=D(2022, 1, 1))
    assert {p[0] for p in proposals()} == {"Old"}


def test_manual_flag_and_pending_letter():
    gone = corp("Gone")
    PaymentFactory(organisation=gone, received_on=D(2019, 1, 1))  # inactive too: flag wins
    ReviewFlagFactory(organisation=gone)
    leaving = corp("Leaving")
    PaymentFactory(organisation=leaving, received_on=D(2023, 2, 1))
    LifecycleEventFactory(organisation=leaving, kind="withdrawal_announced", date=D(2023, 5, 1))
    assert proposals() == {
        ("Gone", "terminated", "The entity does not exist anymore."),
        (
            "Leaving",
            "terminated",
            "Expressed withdrawal interest, withdrawal letter pending to be received.",
        ),
    }


def test_only_members_and_suspended_members_on_the_date_are_reviewed():
    later = city("Later", since=D(2010, 1, 1))
    LifecycleEventFactory(organisation=later, kind="withdrawn", date=D(2022, 1, 1))
    suspended = city("Suspended", since=D(2010, 1, 1))
    LifecycleEventFactory(organisation=suspended, kind="suspended", date=D(2021, 1, 1))
    old_corp = corp("Suspended corp", since=D(2010, 1, 1))
    LifecycleEventFactory(organisation=old_corp, kind="suspended", date=D(2021, 1, 1))
    # a suspended city is not suspended again; a suspended corporation may be terminated
    assert {(p[0], p[1]) for p in proposals()} == {("Suspended corp", "terminated")}


def test_apply_records_events_linked_to_the_decision(staff_user):
    quiet = city("Quiet")
    PaymentFactory(organisation=corp("Dormant"), received_on=D(2019, 6, 1))
    preview = review_preview(as_of=AS_OF)
    review = review_domain.review_apply(
        actor=staff_user,
        preview=preview,
        decision_ref="6th GA, agenda 2",
        decided_on=D(2023, 9, 26),
    )
    assert StatusReview.objects.get() == review
    assert state_as_of(quiet, D(2023, 9, 26)) == State.SUSPENDED
    event = LifecycleEvent.objects.get(organisation=quiet, kind="suspended")
    assert (event.decision_ref, event.evidence["review"]) == (
        "6th GA, agenda 2",
        "local-government-inactive",
    )
    assert AuditRecord.objects.filter(action="review.apply").count() == 1


def test_apply_only_the_approved_subset(staff_user):
    quiet, other = city("Quiet"), city("Other")
    preview = review_preview(as_of=AS_OF)
    review_domain.review_apply(
        actor=staff_user,
        preview=preview,
        decision_ref="EXCOM 2023",
        decided_on=AS_OF,
        approved=[quiet.pk],
    )
    assert state_as_of(quiet, AS_OF) == State.SUSPENDED
    assert state_as_of(other, AS_OF) == State.MEMBER


def test_apply_is_all_or_nothing(staff_user):
    first, second = city("A first"), city("B second")
    preview = review_preview(as_of=AS_OF)
    # the registry changes after the preview: the second member withdraws
    LifecycleEventFactory(organisation=second, kind="withdrawn", date=D(2023, 9, 10))
    with pytest.raises(ValidationError, match="cannot record 'suspended'"):
        review_domain.review_apply(
            actor=staff_user, preview=preview, decision_ref="GA", decided_on=D(2023, 9, 26)
        )
    assert not LifecycleEvent.objects.filter(kind="suspended").exists()
    assert not StatusReview.objects.exists()
    assert state_as_of(first, D(2023, 9, 26)) == State.MEMBER


def test_running_the_review_twice_proposes_nothing_new(staff_user):
    city("Quiet")
    PaymentFactory(organisation=corp("Dormant"), received_on=D(2019, 6, 1))
    first = review_preview(as_of=AS_OF)
    assert len(first.new) == 2
    review_domain.review_apply(
        actor=staff_user, preview=first, decision_ref="GA", decided_on=D(2023, 9, 26)
    )
    again = review_preview(as_of=AS_OF)
    assert again.new == []
    assert {(i.proposal.name, i.recorded.decision_ref) for i in again.already_recorded} == {
        ("Quiet", "GA"),
        ("Dormant", "GA"),
    }
    assert review_preview(as_of=D(2023, 9, 26)).new == []


def test_apply_refuses_a_proposal_outside_the_preview(staff_user):
    other = city("Active", since=D(2023, 1, 1))
    with pytest.raises(ValidationError, match="Not new proposals"):
        review_domain.review_apply(
            actor=staff_user,
            preview=review_preview(as_of=AS_OF),
            decision_ref="GA",
            decided_on=AS_OF,
            approved=[other.pk],
        )


def _preview_queries() -> int:
    with CaptureQueriesContext(connection) as ctx:
        review_preview(as_of=AS_OF)
    return len(ctx.captured_queries)


def test_preview_query_count_does_not_grow():
    for i in range(3):
        city(f"Early {i}")
    few = _preview_queries()
    for i in range(30):
        city(f"Late {i}")
    assert _preview_queries() == few
    assert len(review_preview(as_of=AS_OF).items) == 33


def test_whole_years_and_cutoffs():
    assert rules.whole_years(D(2019, 9, 2), AS_OF) == 3
    assert rules.whole_years(D(2019, 9, 1), AS_OF) == 4
    more = rules.ReviewRule(
        "r",
        "*",
        rules.When.INACTIVE,
        rules.EventKind.SUSPENDED,
        "",
        frozenset(),
        3,
        rules.Comparison.MORE_THAN,
    )
    assert rules.inactivity_cutoff(more, AS_OF) == D(2020, 8, 31)


def test_manual_flag_recorded_and_resolved(staff_user):
    gone = corp("Gone")
    PaymentFactory(organisation=gone, received_on=D(2023, 2, 1))
    flag = review_domain.review_flag_record(
        actor=staff_user, organisation=gone, code="ceased_to_exist", noted_on=D(2023, 6, 1)
    )
    assert proposals() == {("Gone", "terminated", "The entity does not exist anymore.")}
    with pytest.raises(ValidationError, match="already has this open flag"):
        review_domain.review_flag_record(
            actor=staff_user, organisation=gone, code="ceased_to_exist", noted_on=D(2023, 7, 1)
        )
    review_domain.review_flag_resolve(actor=staff_user, flag=flag, resolved_on=D(2023, 8, 1))
    assert proposals() == set()
    assert proposals(as_of=D(2023, 7, 1)) == {
        ("Gone", "terminated", "The entity does not exist anymore.")
    }
    assert AuditRecord.objects.filter(action__startswith="review_flag.").count() == 2


def test_applying_a_flag_proposal_resolves_its_flag(staff_user):
    """After a review terminates a member for a manual reason, the reason is settled: the
    review page no longer lists the flag as open (it stayed open before)."""
    gone = member_since(D(2015, 1, 1), name="Gone City")
    flag = ReviewFlagFactory(organisation=gone)
    preview = review_preview(as_of=D(2023, 9, 1))
    review_domain.review_apply(
        actor=staff_user,
        preview=preview,
        decision_ref="6th GA, agenda 2",
        decided_on=D(2023, 9, 26),
        approved=[gone.pk],
    )
    flag.refresh_from_db()
    assert flag.resolved_on == D(2023, 9, 26)
    assert (
        AuditRecord.objects.filter(action="review_flag.resolve", target_id=str(flag.pk)).count()
        == 1
    )
    assert state_as_of(gone, D(2023, 9, 27)) == State.TERMINATED
