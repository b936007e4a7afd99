"""Who is who at a meeting: representatives, on-site over online, stays with their times,
observers apart and never counted, the EXCOM counted on its own membership and fraction, and
badge check-ins at the event reaching the register at once."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from tests.factories.events import EventFactory, RegistrationFactory, SessionFactory
from tests.factories.governance import (
    MeetingFactory,
    OfficeTermFactory,
    QuorumRuleFactory,
    members,
)
from tests.factories.members import OrganisationFactory
from tests.governance.conftest import attend
from urbis.events import domain as events_domain
from urbis.governance import domain, queries
from urbis.governance.models import CheckIn, CheckOut, Meeting

pytestmark = pytest.mark.django_db

KST = ZoneInfo("Asia/Seoul")


def at(hh: int, mm: int = 0) -> dt.datetime:
    return dt.datetime(2023, 9, 26, hh, mm, tzinfo=KST)


def test_the_head_of_delegation_represents_the_member_even_when_he_arrives_later(assembly):
    meeting, city = assembly["meeting"], assembly["cities"][0]
    officer = domain.delegate_accredit(
        actor=None,
        meeting=meeting,
        organisation=city,
        name="A. Officer",
        position="ICT Officer",
        role="member",
    )
    head = domain.delegate_accredit(
        actor=None, meeting=meeting, organisation=city, name="Z. Mayor", position="Lord Mayor"
    )
    domain.attendance_check_in(actor=None, delegate=officer, at=at(14, 50))
    [row] = queries.attendance_rows(meeting)
    assert (row.delegate, row.arrived_at) == (officer, at(14, 50))  # the first to arrive
    domain.attendance_check_in(actor=None, delegate=head, at=at(15, 5))
    [row] = queries.attendance_rows(meeting)
    assert (row.delegate, row.mayoral) == (head, True)


def test_on_site_wins_over_online_and_the_online_stay_is_kept(assembly):
    meeting, city = assembly["meeting"], assembly["cities"][0]
    head = domain.delegate_accredit(
        actor=None, meeting=meeting, organisation=city, name="Head", mode="online"
    )
    domain.attendance_check_in(actor=None, delegate=head, mode="online", at=at(15))
    ci, created = domain.attendance_check_in(
        actor=None, delegate=head, mode="on_site", at=at(15, 40)
    )
    assert (created, ci.mode, ci.at) == (False, "on_site", at(15, 40))
    stay = CheckOut.objects.get()
    assert (stay.mode, stay.arrived_at, stay.left_at) == ("online", at(15), at(15, 40))
    [row] = queries.attendance_rows(meeting)
    assert row.mode == "on_site"
    # Online after on-site changes nothing.
    assert domain.attendance_check_in(actor=None, delegate=head, mode="online")[0].mode == "on_site"


def test_check_out_and_re_entry_are_recorded_with_their_times(assembly):
    meeting, city = assembly["meeting"], assembly["cities"][0]
    head = domain.delegate_accredit(actor=None, meeting=meeting, organisation=city, name="H")
    domain.attendance_check_in(actor=None, delegate=head, at=at(15))
    assert domain.attendance_check_out(actor=None, delegate=head, at=at(15, 30)) is True
    assert queries.quorum_for(meeting).present == 0
    domain.attendance_check_in(actor=None, delegate=head, at=at(15, 45))
    stay = CheckOut.objects.get()
    assert (stay.arrived_at, stay.left_at) == (at(15), at(15, 30))
    assert CheckIn.objects.get().at == at(15, 45)
    assert queries.quorum_for(meeting).present == 1


def test_observers_are_listed_apart_and_never_counted(assembly, client):
    meeting = assembly["meeting"]
    embassy = OrganisationFactory(name="Embassy of Atlantis", category="embassy")
    outsider = OrganisationFactory(name="Non-member City")  # a city that never applied
    attend(meeting, assembly["cities"][:41])
    attend(meeting, [assembly["corp"], assembly["suspended"], embassy, outsider])
    q = queries.quorum_for(meeting)
    assert (q.present, q.eligible, q.required, q.met) == (41, 163, 41, True)
    memo = queries.memorandum(meeting)
    assert memo.attendee_counts == [("Local government", 42), ("Corporation", 1)]
    assert [r.organisation.name for r in memo.observers] == [
        "Embassy of Atlantis",
        "Non-member City",
    ]
    roles = {r.organisation.name: r.role for r in queries.attendance_rows(meeting, observers=None)}
    assert roles["Dormant 0000"] == "member"  # suspended: attends, does not count
    assert roles["Dwelling Co., Ltd"] == "member"
    meeting.status = "published"
    meeting.save()
    html = client.get(reverse("governance:memorandum", args=[meeting.slug])).content.decode()
    assert "42 local governments, 1 corporation</p>" in html
    assert "Embassy members" not in html
    assert "Observers (listed apart, never counted)" in html


def test_the_excom_counts_on_its_own_membership_with_its_own_fraction(db):
    QuorumRuleFactory()
    QuorumRuleFactory(body="excom", numerator=1, denominator=2)
    cities = members(20)
    for city in cities[:12]:
        OfficeTermFactory(kind="excom_member", organisation=city, start=dt.date(2021, 10, 1))
    OfficeTermFactory(
        kind="excom_member",
        organisation=cities[12],
        start=dt.date(2015, 1, 1),
        end=dt.date(2021, 9, 30),
    )
    excom = MeetingFactory(
        body="excom", date=dt.date(2023, 9, 4), convocation_date=dt.date(2023, 8, 1)
    )
    attend(excom, cities[:5] + cities[12:15])
    q = queries.quorum_for(excom)
    assert (q.present, q.eligible, q.required, q.met) == (5, 12, 6, False)
    memo = queries.memorandum(excom)
    assert memo.electorate == "the members of the Executive Committee on the day of the meeting"
    assert memo.show_changes is False and memo.changes == {}
    roles = sorted(r.role for r in queries.attendance_rows(excom))
    assert roles == ["member"] * 3 + ["voting"] * 5


def test_a_badge_check_in_marks_the_member_present_at_once(assembly, staff_user):
    meeting = assembly["meeting"]
    event = EventFactory(starts_on=dt.date(2023, 9, 25), ends_on=dt.date(2023, 9, 27))
    session = SessionFactory(event=event, day=dt.date(2023, 9, 26), is_assembly=True)
    meeting.session = session
    meeting.save()
    city = assembly["cities"][0]
    officer = RegistrationFactory(
        event=event,
        organisation=city,
        person_name="A. Officer",
        position="ICT Officer",
        code="BADGE001",
    )
    mayor = RegistrationFactory(
        event=event,
        organisation=city,
        person_name="Lord Mayor",
        position="Lord Mayor",
        head_of_delegation=True,
        mayoral_level=True,
        code="BADGE002",
    )
    events_domain.checkin_record(actor=staff_user, code=officer.code, at=at(14, 40))
    assert queries.quorum_for(meeting).present == 1
    events_domain.checkin_record(actor=staff_user, code=mayor.code, at=at(14, 55))
    [row] = queries.attendance_rows(meeting)
    assert (row.delegate.name, row.delegate.role, row.mayoral) == ("Lord Mayor", "head", True)
    assert CheckIn.objects.filter(meeting=meeting, source="event").count() == 2
    # Another day of the event is not the meeting's.
    other = RegistrationFactory(event=event, organisation=assembly["cities"][1], code="BADGE003")
    events_domain.checkin_record(
        actor=staff_user, code=other.code, at=dt.datetime(2023, 9, 25, 10, tzinfo=KST)
    )
    assert queries.quorum_for(meeting).present == 1
    # After conclusion the badge check-in stands and the meeting's record is left alone.
    Meeting.objects.filter(pk=meeting.pk).update(status="concluded")
    late = RegistrationFactory(event=event, organisation=assembly["cities"][2], code="BADGE004")
    _, created = events_domain.checkin_record(actor=staff_user, code=late.code, at=at(17))
    assert created is True
    assert queries.quorum_for(meeting).present == 1


def test_the_console_shows_times_in_the_meetings_zone(assembly, client, staff_user):
    meeting = assembly["meeting"]
    meeting.time_zone_label = "KST"
    meeting.save()
    head = domain.delegate_accredit(
        actor=None, meeting=meeting, organisation=assembly["cities"][0], name="H"
    )
    domain.attendance_check_in(
        actor=None, delegate=head, at=dt.datetime(2023, 9, 26, 6, tzinfo=dt.UTC)
    )
    client.force_login(staff_user)
    html = client.get(reverse("governance:run", args=[meeting.slug])).content.decode()
    assert "On-site 15:00 KST" in html
    assert "06:00" not in html
