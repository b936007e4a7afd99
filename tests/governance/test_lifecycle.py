"""The lifecycle of a meeting: draft → convened → in session → concluded → minutes approved →
published; after conclusion the record is read-only (errors, 409s, messages), corrected by
errata; only published minutes are public."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories.governance import AgendaItemFactory, MeetingFactory
from tests.governance.conftest import attend
from urbis.common.models import AuditRecord
from urbis.governance import domain
from urbis.governance.models import CheckIn, CheckOut, Decision, Delegate, Meeting

pytestmark = pytest.mark.django_db


def _run_to(meeting: Meeting, status: str, actor=None) -> Meeting:
    steps = {
        "convened": lambda: domain.meeting_convene(
            actor=actor, meeting=meeting, convocation_date=dt.date(2023, 9, 5), notice="Notice"
        ),
        "in_session": lambda: domain.meeting_open(actor=actor, meeting=meeting),
        "concluded": lambda: domain.meeting_conclude(actor=actor, meeting=meeting),
    }
    for name, step in steps.items():
        step()
        if name == status:
            break
    return meeting


def test_the_steps_follow_one_another_and_are_audited(assembly):
    meeting = assembly["meeting"]
    assert meeting.status == "draft"
    with pytest.raises(ValidationError, match="its next step is convened"):
        domain.meeting_open(actor=None, meeting=meeting)
    _run_to(meeting, "concluded")
    assert meeting.status == "concluded" and meeting.concluded_at is not None
    with pytest.raises(ValidationError, match="cannot become in session"):
        domain.meeting_open(actor=None, meeting=meeting)
    actions = list(
        AuditRecord.objects.filter(action__startswith="meeting.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["meeting.convened", "meeting.in_session", "meeting.concluded"]


def test_convocation_needs_a_notice_and_precedes_the_meeting(assembly):
    meeting = assembly["meeting"]
    with pytest.raises(ValidationError) as err:
        domain.meeting_convene(
            actor=None, meeting=meeting, convocation_date=dt.date(2023, 9, 5), notice=" "
        )
    assert list(err.value.message_dict) == ["notice"]
    with pytest.raises(ValidationError) as err:
        domain.meeting_convene(
            actor=None, meeting=meeting, convocation_date=dt.date(2023, 9, 27), notice="N"
        )
    assert list(err.value.message_dict) == ["convocation_date"]
    assert Meeting.objects.get(pk=meeting.pk).status == "draft"


def test_a_concluded_meeting_refuses_every_write_of_its_record(assembly):
    meeting = assembly["meeting"]
    item = AgendaItemFactory(meeting=meeting, number=1, kind="approval", method="roll_call")
    attend(meeting, assembly["cities"][:41])
    late = domain.delegate_accredit(
        actor=None, meeting=meeting, organisation=assembly["cities"][50], name="Late"
    )
    present = Delegate.objects.filter(meeting=meeting).first()
    _run_to(meeting, "concluded")
    writes = [
        lambda: domain.attendance_check_in(actor=None, delegate=late),
        lambda: domain.attendance_check_out(actor=None, delegate=present),
        lambda: domain.vote_cast(
            actor=None, agenda_item=item, organisation=assembly["cities"][0], choice="for"
        ),
        lambda: domain.decision_record(actor=None, agenda_item=item),
        lambda: domain.agenda_item_save(actor=None, meeting=meeting, number=1, title="Other"),
        lambda: domain.meeting_save(actor=None, slug=meeting.slug, venue="Elsewhere"),
        lambda: domain.delegate_accredit(
            actor=None, meeting=meeting, organisation=assembly["cities"][60], name="New"
        ),
    ]
    for write in writes:
        with pytest.raises(domain.MeetingClosedError, match="is concluded: its attendance"):
            write()
    assert CheckIn.objects.filter(meeting=meeting).count() == 41
    assert not Decision.objects.exists() and not CheckOut.objects.exists()
    # Saying again what is already recorded is harmless (reloading a data set).
    assert domain.attendance_check_in(actor=None, delegate=present)[1] is False


def test_api_answers_409_and_the_console_a_message(assembly, client, staff_user):
    meeting = assembly["meeting"]
    item = AgendaItemFactory(meeting=meeting, number=1, kind="approval")
    attend(meeting, assembly["cities"][:2])
    delegate = Delegate.objects.filter(meeting=meeting).first()
    absent = domain.delegate_accredit(
        actor=None, meeting=meeting, organisation=assembly["cities"][5], name="Absent"
    )
    _run_to(meeting, "concluded")
    client.force_login(staff_user)
    response = client.post(
        f"/api/v1/governance/meetings/{meeting.slug}/check-ins",
        {"delegate_id": absent.pk},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert "is concluded" in response.json()["detail"]
    response = client.post(
        f"/api/v1/governance/items/{item.pk}/decision", {}, content_type="application/json"
    )
    assert response.status_code == 409
    response = client.post(
        f"/api/v1/governance/meetings/{meeting.slug}/delegates/{delegate.pk}/check-out"
    )
    assert response.status_code == 409
    url = reverse("governance:check_in", args=[meeting.slug, delegate.pk])
    response = client.post(url, {"action": "out"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "is concluded: its attendance, votes and decisions are read-only" in (
        response.content.decode()
    )
    assert CheckIn.objects.filter(meeting=meeting).count() == 2


def test_minutes_are_approved_by_a_later_adopted_item_then_published(assembly, client):
    meeting = assembly["meeting"]
    _run_to(meeting, "concluded")
    response = client.get(reverse("governance:memorandum", args=[meeting.slug]))
    assert response.status_code == 403  # draft minutes are not public
    same_day = AgendaItemFactory(meeting=MeetingFactory(date=meeting.date), kind="approval")
    Decision.objects.create(
        agenda_item=same_day,
        method="consensus",
        result="adopted",
        quorum_present=1,
        quorum_eligible=1,
        quorum_required=1,
        quorum_met=True,
        decided_at=dt.datetime(2023, 9, 26, 9, tzinfo=dt.UTC),
    )
    with pytest.raises(ValidationError, match="approved by a later meeting"):
        domain.minutes_approve(actor=None, meeting=meeting, approved_by=same_day)
    later = AgendaItemFactory(
        meeting=MeetingFactory(body="excom", date=dt.date(2024, 4, 2)), kind="approval"
    )
    with pytest.raises(ValidationError, match="is not adopted"):
        domain.minutes_approve(actor=None, meeting=meeting, approved_by=later)
    Decision.objects.create(
        agenda_item=later,
        method="consensus",
        result="adopted",
        quorum_present=1,
        quorum_eligible=1,
        quorum_required=1,
        quorum_met=True,
        decided_at=dt.datetime(2024, 4, 2, 9, tzinfo=dt.UTC),
    )
    domain.minutes_approve(actor=None, meeting=meeting, approved_by=later)
    assert (meeting.status, meeting.minutes_approved_on) == (
        "minutes_approved",
        dt.date(2024, 4, 2),
    )
    assert client.get(reverse("governance:memorandum", args=[meeting.slug])).status_code == 403
    domain.minutes_publish(actor=None, meeting=meeting)
    response = client.get(reverse("governance:memorandum", args=[meeting.slug]))
    assert response.status_code == 200
    assert "not approved" not in response.content.decode()


def test_an_erratum_is_dated_reasoned_audited_and_printed(assembly, staff_user, client):
    meeting = assembly["meeting"]
    with pytest.raises(ValidationError, match="is not concluded"):
        domain.erratum_record(
            actor=None,
            meeting=meeting,
            on=dt.date(2023, 10, 1),
            subject="S",
            correction="C",
            reason="R",
        )
    _run_to(meeting, "concluded")
    erratum = domain.erratum_record(
        actor=staff_user,
        meeting=meeting,
        on=dt.date(2023, 10, 2),
        subject="Annex 1, No. 12",
        correction="The position reads Deputy Mayor.",
        reason="Typing error in the register.",
    )
    audit = AuditRecord.objects.get(action="meeting.erratum")
    assert audit.target_id == str(erratum.pk) and audit.actor_label == "sec-staff"
    client.force_login(staff_user)
    html = client.get(reverse("governance:memorandum", args=[meeting.slug])).content.decode()
    assert "<h2>Errata</h2>" in html
    assert "2 October 2023" in html and "Typing error in the register." in html
