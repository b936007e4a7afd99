"""The voting desk's write: the same vote, ballot paper and audit record as `vote_cast` on both
databases (one statement on PostgreSQL, the ORM elsewhere), and the same refusals."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories.governance import (
    AgendaItemFactory,
    DelegateFactory,
    MeetingFactory,
    QuorumRuleFactory,
    members,
)
from urbis.common.models import AuditRecord
from urbis.governance import domain
from urbis.governance.models import AgendaItem, Ballot, Decision, Vote
from urbis.members.models import Organisation

pytestmark = pytest.mark.django_db

POSTGRESQL = connection.vendor == "postgresql"


@pytest.fixture
def hall():
    """A meeting with two members present and one absent, and an item for each method."""
    QuorumRuleFactory()
    meeting = MeetingFactory(slug="ga", title="6th General Assembly")
    present = members(2, prefix="Almaty")
    absent = members(1, prefix="Absent")[0]
    for org in present:
        delegate = DelegateFactory(meeting=meeting, organisation=org)
        domain.attendance_check_in(actor=None, delegate=delegate)
    AuditRecord.objects.all().delete()  # the check-ins' records: each test counts its own

    def item(method: str, number: int) -> AgendaItem:
        return AgendaItemFactory(
            meeting=meeting, number=number, title=f"Motion {number}", method=method
        )

    return {
        "meeting": meeting,
        "present": present,
        "absent": absent,
        "roll_call": item("roll_call", 1),
        "secret": item("secret_ballot", 2),
        "consensus": item("consensus", 3),
    }


def _written() -> tuple[int, int, int]:
    return Vote.objects.count(), Ballot.objects.count(), AuditRecord.objects.count()


def _audit_row(record: AuditRecord) -> dict[str, object]:
    return {
        "actor_id": record.actor_id,
        "actor_label": record.actor_label,
        "action": record.action,
        "target_type": record.target_type,
        "before": record.before,
        "after": {**record.after, "organisation": "*"},
    }


def test_roll_call_vote_writes_the_vote_and_its_audit_record(hall, staff_user):
    item, org = hall["roll_call"], hall["present"][0]
    before = timezone.now()
    cast = domain.vote_cast_by_id(
        actor=staff_user, agenda_item_id=item.pk, organisation_id=org.pk, choice="for"
    )
    vote = Vote.objects.get()
    assert cast == domain.CastVote(vote.pk, item.pk, org.pk, "Almaty 0000")
    assert (vote.agenda_item_id, vote.organisation_id, vote.choice, vote.cast_by) == (
        item.pk,
        org.pk,
        "for",
        staff_user,
    )
    assert before <= vote.cast_at <= timezone.now()
    assert not Ballot.objects.exists()
    audit = AuditRecord.objects.get()
    assert (audit.actor, audit.actor_label, audit.action) == (staff_user, "sec-staff", "vote.cast")
    assert (audit.target_type, audit.target_id) == ("governance.vote", str(vote.pk))
    assert audit.target_repr == "Almaty 0000 on 6th General Assembly · Agenda 1: Motion 1: for"
    assert audit.target_repr == str(vote)
    assert audit.before is None
    assert audit.after == {"organisation": org.pk, "choice": "for"}
    assert before <= audit.at <= timezone.now()


def test_secret_ballot_stores_the_paper_apart_and_keeps_the_choice_out_of_the_trail(hall):
    item, org = hall["secret"], hall["present"][0]
    cast = domain.vote_cast_by_id(
        actor=None, agenda_item_id=item.pk, organisation_id=org.pk, choice="against"
    )
    vote = Vote.objects.get()
    assert (cast.vote_id, vote.organisation_id, vote.choice, vote.cast_by) == (
        vote.pk,
        org.pk,
        "",
        None,
    )
    ballot = Ballot.objects.get()
    assert (ballot.agenda_item_id, ballot.choice) == (item.pk, "against")
    audit = AuditRecord.objects.get()
    assert (audit.actor, audit.actor_label, audit.action) == (None, "system", "vote.cast")
    assert (audit.target_type, audit.target_id) == ("governance.vote", str(vote.pk))
    assert audit.target_repr == "Almaty 0000 on 6th General Assembly · Agenda 2: Motion 2: secret"
    assert audit.before is None
    assert audit.after == {"organisation": org.pk, "choice": ""}


@pytest.mark.parametrize("method", ["roll_call", "secret"])
def test_the_rows_are_those_vote_cast_writes(hall, staff_user, method):
    """One member through `vote_cast`, the other by id: the rows differ only in the member."""
    item = hall[method]
    first, second = hall["present"]
    domain.vote_cast(actor=staff_user, agenda_item=item, organisation=first, choice="abstain")
    domain.vote_cast_by_id(
        actor=staff_user, agenda_item_id=item.pk, organisation_id=second.pk, choice="abstain"
    )
    by_orm, by_id = Vote.objects.order_by("id")
    assert (by_orm.choice, by_orm.cast_by_id) == (by_id.choice, by_id.cast_by_id)
    papers = list(Ballot.objects.values_list("agenda_item_id", "choice"))
    assert papers == ([] if method == "roll_call" else [(item.pk, "abstain")] * 2)
    orm_audit, id_audit = AuditRecord.objects.order_by("id")
    assert _audit_row(orm_audit) == _audit_row(id_audit)
    assert (orm_audit.target_repr, id_audit.target_repr) == (str(by_orm), str(by_id))
    assert (orm_audit.after["organisation"], id_audit.after["organisation"]) == (
        first.pk,
        second.pk,
    )


def _decide(item: AgendaItem) -> None:
    Decision.objects.create(
        agenda_item=item,
        method=item.method,
        result="rejected",
        quorum_present=0,
        quorum_eligible=0,
        quorum_required=0,
        quorum_met=False,
        decided_at=timezone.now(),
    )


REFUSALS = {
    "decided": ("roll_call", "present", "for", "agenda_item", "Agenda 1 is already decided."),
    "absent": (
        "roll_call",
        "absent",
        "for",
        "organisation",
        "Absent 0000 is not present at the meeting.",
    ),
    "consensus": (
        "consensus",
        "present",
        "for",
        "agenda_item",
        "Agenda 3 is decided by consensus.",
    ),
    "choice": (
        "roll_call",
        "present",
        "yes",
        "choice",
        "'yes' is not one of for, against, abstain.",
    ),
    "secret decided": ("secret", "present", "for", "agenda_item", "Agenda 2 is already decided."),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_refusals_write_nothing_and_say_what_vote_cast_says(hall, case):
    key, who, choice, field, message = REFUSALS[case]
    item = hall[key]
    org = hall["absent"] if who == "absent" else hall["present"][0]
    if "decided" in case:
        _decide(item)
    written = _written()
    with pytest.raises(ValidationError) as by_id:
        domain.vote_cast_by_id(
            actor=None, agenda_item_id=item.pk, organisation_id=org.pk, choice=choice
        )
    with pytest.raises(ValidationError) as by_orm:
        domain.vote_cast(actor=None, agenda_item=item, organisation=org, choice=choice)
    assert by_id.value.message_dict == by_orm.value.message_dict == {field: [message]}
    assert _written() == written


@pytest.mark.parametrize("key", ["roll_call", "secret"])
def test_a_second_vote_is_refused_and_writes_nothing(hall, key):
    item, org = hall[key], hall["present"][0]
    domain.vote_cast_by_id(actor=None, agenda_item_id=item.pk, organisation_id=org.pk, choice="for")
    written = _written()
    assert written == (1, 1 if key == "secret" else 0, 1)
    with pytest.raises(ValidationError) as by_id:
        domain.vote_cast_by_id(
            actor=None, agenda_item_id=item.pk, organisation_id=org.pk, choice="against"
        )
    with pytest.raises(ValidationError) as by_orm:
        domain.vote_cast(actor=None, agenda_item=item, organisation=org, choice="against")
    number = item.number
    assert by_id.value.message_dict == {
        "organisation": [f"Almaty 0000 has already voted on agenda {number}: one vote per member."]
    }
    assert by_id.value.message_dict == by_orm.value.message_dict
    assert _written() == written
    assert list(Vote.objects.values_list("choice", flat=True)) == ["" if key == "secret" else "for"]


@pytest.mark.parametrize("choice", ["for", "yes"])
def test_unknown_item_or_member_is_not_found_before_any_other_refusal(hall, choice):
    item, org = hall["roll_call"], hall["present"][0]
    with pytest.raises(AgendaItem.DoesNotExist):
        domain.vote_cast_by_id(actor=None, agenda_item_id=0, organisation_id=org.pk, choice=choice)
    with pytest.raises(Organisation.DoesNotExist):
        domain.vote_cast_by_id(actor=None, agenda_item_id=item.pk, organisation_id=0, choice=choice)
    with pytest.raises(AgendaItem.DoesNotExist):
        domain.vote_cast_by_id(actor=None, agenda_item_id=0, organisation_id=0, choice=choice)
    assert _written() == (0, 0, 0)


def _post(client, item_id: int, organisation_id: int, choice: str = "for"):
    return client.post(
        f"/api/v1/governance/items/{item_id}/votes",
        json.dumps({"organisation_id": organisation_id, "choice": choice}),
        content_type="application/json",
    )


def test_the_api_vote_costs_three_queries_on_postgresql(client, hall, staff_user):
    """Session, user with roles, the write. Elsewhere the ORM path: the item with its
    meeting, the member, the preconditions and a savepoint-wrapped pair of INSERTs."""
    item, org = hall["roll_call"], hall["present"][0]
    client.force_login(staff_user, backend="urbis.common.auth.RoleLoadingBackend")
    with CaptureQueriesContext(connection) as ctx:
        response = _post(client, item.pk, org.pk)
    assert response.status_code == 200
    assert response.json() == {"agenda_item": item.pk, "organisation": org.name, "recorded": True}
    assert len(ctx.captured_queries) == (3 if POSTGRESQL else 9)
    assert Vote.objects.get().cast_by == staff_user


def test_a_focal_point_pays_for_its_own_check_only(client, hall, focal_point):
    """The rule loads the member and reads its contacts: two more queries than staff."""
    user, own = focal_point
    domain.attendance_check_in(
        actor=None, delegate=DelegateFactory(meeting=hall["meeting"], organisation=own)
    )
    item = hall["secret"]
    client.force_login(user, backend="urbis.common.auth.RoleLoadingBackend")
    with CaptureQueriesContext(connection) as ctx:
        response = _post(client, item.pk, own.pk, "against")
    assert response.status_code == 200
    assert response.json() == {
        "agenda_item": item.pk,
        "organisation": "Focal City",
        "recorded": True,
    }
    assert len(ctx.captured_queries) == (5 if POSTGRESQL else 12)
    assert Ballot.objects.get().choice == "against"


def test_the_api_answers_404_403_and_the_error_contract(client, hall, staff_user, focal_point):
    user, own = focal_point
    item, other = hall["roll_call"], hall["present"][0]
    client.force_login(user, backend="urbis.common.auth.RoleLoadingBackend")
    assert _post(client, 0, own.pk).status_code == 404
    assert _post(client, item.pk, 0).status_code == 404
    assert _post(client, 0, other.pk).status_code == 404  # not found comes before forbidden
    assert _post(client, item.pk, other.pk).status_code == 403
    absent = _post(client, item.pk, own.pk)  # its own member, not checked in
    assert (absent.status_code, absent.json()) == (
        422,
        {
            "detail": "organisation: Focal City is not present at the meeting.",
            "errors": {"organisation": ["Focal City is not present at the meeting."]},
        },
    )
    client.force_login(staff_user, backend="urbis.common.auth.RoleLoadingBackend")
    assert _post(client, 0, other.pk, "yes").status_code == 404
    assert _post(client, item.pk, 0).status_code == 404
    bad = _post(client, item.pk, other.pk, "yes")
    assert (bad.status_code, bad.json()) == (
        422,
        {
            "detail": "choice: 'yes' is not one of for, against, abstain.",
            "errors": {"choice": ["'yes' is not one of for, against, abstain."]},
        },
    )
    assert _post(client, item.pk, other.pk).status_code == 200
    again = _post(client, item.pk, other.pk)
    message = "Almaty 0000 has already voted on agenda 1: one vote per member."
    assert (again.status_code, again.json()) == (
        422,
        {"detail": f"organisation: {message}", "errors": {"organisation": [message]}},
    )
    assert _written() == (1, 0, 1)
