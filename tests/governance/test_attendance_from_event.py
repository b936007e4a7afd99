"""The assembly's register filled from the events app's badge check-ins."""

import datetime as dt
import json

import pytest

from tests.factories.events import CheckInFactory, EventFactory, RegistrationFactory, seoul
from tests.factories.governance import DelegateFactory, MeetingFactory, QuorumRuleFactory, members
from urbis.governance import domain
from urbis.governance.models import CheckIn, Delegate

pytestmark = pytest.mark.django_db
GA_DAY = dt.date(2023, 9, 26)


@pytest.fixture
def assembly():
    QuorumRuleFactory()
    a, b, c = members(3, prefix="Town")
    event = EventFactory(slug="ga-2023")
    meeting = MeetingFactory(slug="ga6", date=GA_DAY)
    # A: two people, one online at 10:00 and one on-site at 09:30: one entry, on-site, 09:30.
    kim = RegistrationFactory(
        event=event,
        organisation=a,
        person_name="Kim",
        position="Mayor",
        mayoral_level=True,
        attendance="online",
    )
    lee = RegistrationFactory(event=event, organisation=a, person_name="Lee", position="Officer")
    CheckInFactory(registration=kim, day=GA_DAY, at=seoul(GA_DAY, 10))
    CheckInFactory(registration=lee, day=GA_DAY, at=seoul(GA_DAY, 9, 30))
    # B: accredited for the meeting already; its person checks in on the day.
    head_b = DelegateFactory(meeting=meeting, organisation=b, name="Head B", position="Mayor")
    CheckInFactory(registration=RegistrationFactory(event=event, organisation=b), day=GA_DAY)
    # C: checked in the day before only.
    first_day = dt.date(2023, 9, 25)
    CheckInFactory(registration=RegistrationFactory(event=event, organisation=c), day=first_day)
    return event, meeting, (a, b, c), head_b


def test_one_entry_per_member_checked_in_on_the_meetings_day(assembly, staff_user):
    event, meeting, (a, b, _), head_b = assembly
    result = domain.attendance_import_from_event(actor=staff_user, meeting=meeting, event=event)
    assert result == domain.EventAttendanceImport(
        members=2, checked_in=2, already=0, delegates_accredited=1
    )
    rows = {ci.organisation_id: ci for ci in CheckIn.objects.filter(meeting=meeting)}
    assert set(rows) == {a.pk, b.pk}
    assert (rows[a.pk].mode, rows[a.pk].source, rows[a.pk].at) == (
        "on_site",
        "event",
        seoul(GA_DAY, 9, 30),
    )
    accredited = Delegate.objects.get(meeting=meeting, organisation=a)
    assert (accredited.name, accredited.position, accredited.role, accredited.mayoral_level) == (
        "Kim",
        "Mayor",
        "head",
        True,
    )
    assert rows[b.pk].delegate == head_b


def test_running_it_again_adds_only_newcomers(assembly):
    event, meeting, _, _ = assembly
    domain.attendance_import_from_event(actor=None, meeting=meeting, event=event)
    late = RegistrationFactory(event=event, organisation=members(1, prefix="Late")[0])
    CheckInFactory(registration=late, day=GA_DAY)
    again = domain.attendance_import_from_event(actor=None, meeting=meeting, event=event)
    assert again == domain.EventAttendanceImport(
        members=3, checked_in=1, already=2, delegates_accredited=1
    )
    assert CheckIn.objects.filter(meeting=meeting).count() == 3


@pytest.mark.usefixtures("assembly")
def test_the_api_and_the_console_import(client, staff_user):
    url = "/api/v1/governance/meetings/ga6/attendance/from-event"
    client.force_login(staff_user)
    missing = client.post(url, json.dumps({"event": "nope"}), content_type="application/json")
    assert missing.status_code == 404
    body = client.post(url, json.dumps({"event": "ga-2023"}), content_type="application/json")
    assert body.json() == {"members": 2, "checked_in": 2, "already": 0, "delegates_accredited": 1}
    page = client.post(
        "/governance/meetings/ga6/attendance/from-event/", {"event": "ga-2023"}, follow=True
    )
    assert "2 members checked in on 26 Sep 2023; 0 entered in the register, 2 already in it" in (
        page.content.decode()
    )
    run = client.get("/governance/meetings/ga6/run/").content.decode()
    assert "Import check-ins of 26 Sep 2023" in run
