"""In the browser: staff convene the Assembly from its workspace; the SMTP server receives
the convocations; a focal point follows the registration link of its convocation and
registers a delegate, and receives the acknowledgement.

Debian's Chromium (/usr/bin/chromium) through Playwright, as in tests/events/test_browser.py;
the outbox is sent by the test between the steps, as the task worker would."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.events.test_browser import browser  # noqa: F401  (the fixture)
from tests.factories.events import EventFactory, SessionFactory
from tests.factories.governance import AgendaItemFactory, MeetingFactory, QuorumRuleFactory
from tests.factories.members import ContactFactory, LifecycleEventFactory, member_since
from tests.messaging.conftest import smtp_server  # noqa: F401  (the fixture)
from urbis.events.models import Registration, RegistrationStatus
from urbis.governance.models import Meeting, MeetingStatus
from urbis.messaging.domain import outbox_send

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(browser, live_server, client, user):  # noqa: F811
    client.force_login(user)
    host = live_server.url.split("//", 1)[1].split(":")[0]
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "domain": host,
                "path": "/",
            }
        ]
    )
    return context


def test_convene_the_assembly_and_register_from_the_convocation(
    browser,  # noqa: F811
    live_server,
    client,
    staff_user,
    focal_point,
    smtp_server,  # noqa: F811
    settings,
):
    settings.URBIS_BASE_URL = live_server.url
    QuorumRuleFactory()
    user, org = focal_point
    user.email = "focal@focal-city.example"
    user.save()
    LifecycleEventFactory(organisation=org, kind="approved", date=dt.date(2020, 1, 1))
    org.contacts.update(email="focal@focal-city.example")
    other = member_since(dt.date(2020, 1, 1), name="Riverside")
    ContactFactory(
        organisation=other, name="Rui Focal", email="rui@riverside.example", is_focal_point=True
    )
    event = EventFactory(
        slug="summit-2031",
        name="Urban Summit 2031",
        starts_on=dt.date(2031, 4, 14),
        ends_on=dt.date(2031, 4, 16),
        time_zone="Europe/Lisbon",
        registration_open=True,
    )
    meeting = MeetingFactory(
        slug="ga-12",
        title="12th General Assembly",
        date=dt.date(2031, 4, 15),
        convocation_date=dt.date(2031, 3, 1),
        time_zone="Europe/Lisbon",
        start_time=dt.time(14, 0),
        end_time=dt.time(17, 0),
        session=SessionFactory(event=event, title="General Assembly"),
    )
    AgendaItemFactory(meeting=meeting, number=1, title="Opening", kind="report")

    staff = _login(browser, live_server, client, staff_user)
    page = staff.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{live_server.url}/governance/meetings/ga-12/workspace/")
    convene = page.locator("form[action$='/step/convene/']")
    convene.locator("#convene_convocation_date").fill("2031-03-01")
    convene.locator("#convene_notice").fill("The Assembly meets in Lisbon.")
    convene.get_by_role("button", name="Convene").click()
    page.wait_for_selector("text=Convened: the electorate is fixed.")
    assert Meeting.objects.get(slug="ga-12").status == MeetingStatus.CONVENED

    assert outbox_send().sent == 2
    assert sorted(a for r in smtp_server.received for a in r.rcpt_to) == [
        "focal@focal-city.example",
        "rui@riverside.example",
    ]
    (convocation,) = [r.message for r in smtp_server.to("focal@focal-city.example")]
    assert convocation["Subject"] == "Convocation: 12th General Assembly, 15 April 2031"
    text = convocation.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"Register your delegation: (\S+)", text).group(1)
    assert link == f"{live_server.url}/events/summit-2031/register/"
    assert [a.get_filename() for a in convocation.iter_attachments()] == ["ga-12.ics"]
    staff.close()

    focal = _login(browser, live_server, client, user)
    page = focal.new_page()
    page.goto(link)
    assert page.input_value("#id_organisation") == str(org.pk)
    page.fill("#id_person_name", "Dee Legate")
    page.fill("#id_position", "Deputy Mayor")
    page.fill("#id_email", "dee@focal-city.example")
    page.click("main button[type=submit]")
    page.wait_for_selector("#badge-code", timeout=10_000)
    assert page.inner_text("#reg-status") == "Pending approval"
    reg = Registration.objects.get(person_name="Dee Legate")
    assert (reg.organisation, reg.status, reg.registered_by) == (
        org,
        RegistrationStatus.PENDING,
        user,
    )
    focal.close()

    assert outbox_send().sent == 2
    subjects = sorted(r.message["Subject"] for r in smtp_server.received[2:])
    assert subjects == ["Registration received: Dee Legate, Urban Summit 2031"] * 2
