"""In the browser, staff prepare and hold a later General Assembly through the pages: the
event and its session, a meeting linked to it, an agenda (a motion, an election of the
President City with its candidate, a host selection between two bids), convocation, the
opening, check-ins at the badge desk and online, the live quorum, a poll from the chair's
console voted through the heads' ballot links, decisions, the conclusion, the approval and
publication of the minutes; then the memorandum's and the activity report's PDFs are read
for their figures.

The delegates' registrations (they register themselves) and the later EXCOM meeting whose
decision approves the minutes come from factories and domain calls; everything the
secretariat does for this Assembly goes through pages. Debian's Chromium through Playwright."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.events.test_browser import browser  # noqa: F401  (the fixture)
from tests.factories.events import RegistrationFactory
from tests.factories.governance import OfficeTermFactory, QuorumRuleFactory, corporation, members
from tests.factories.members import OrganisationFactory
from urbis.common.jobs import Job
from urbis.common.pdf import pdf_text
from urbis.events.models import Event
from urbis.governance import domain
from urbis.governance.models import AgendaItem, Meeting, MeetingStatus
from urbis.messaging.models import Message

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DAY = "2032-10-06"
ZONE = "Africa/Nairobi"


def _staff_context(browser, live_server, client, user):  # noqa: F811
    client.force_login(user)
    host = live_server.url.split("//", 1)[1].split(":")[0]
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    cookie = client.cookies["sessionid"].value
    context.add_cookies([{"name": "sessionid", "value": cookie, "domain": host, "path": "/"}])
    return context


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def registry(db):
    """Eight member cities, a corporation and an embassy; the officers of 2029-2032."""
    QuorumRuleFactory()
    cities = members(8, prefix="Harbour City")
    for org, kind in [
        (cities[0], "president_city"),
        (cities[1], "evp_city"),
        (cities[2], "vp_city"),
        (cities[3], "vp_city"),
    ]:
        OfficeTermFactory(
            kind=kind, organisation=org, start=dt.date(2029, 10, 2), end=dt.date(2032, 12, 31)
        )
    for org in cities[:3]:  # the EXCOM that approves the minutes in 2033
        OfficeTermFactory(
            kind="excom_member",
            organisation=org,
            start=dt.date(2029, 10, 2),
            end=dt.date(2033, 12, 31),
        )
    return {
        "cities": cities,
        "corp": corporation("Harbour Systems Corp"),
        "embassy": OrganisationFactory(name="Embassy of Synthetica", category="embassy"),
    }


def test_staff_hold_a_later_assembly_through_the_pages(
    browser,  # noqa: F811
    live_server,
    client,
    staff_user,
    registry,
    run_jobs,
    settings,
):
    expect = pytest.importorskip("playwright.sync_api").expect
    settings.URBIS_BASE_URL = live_server.url
    cities, corp, embassy = registry["cities"], registry["corp"], registry["embassy"]
    url = live_server.url
    context = _staff_context(browser, live_server, client, staff_user)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())

    # The event and its statutory session.
    page.goto(f"{url}/events/manage/new/")
    page.fill("#id_name", "9th General Assembly 2032")
    page.fill("#id_slug", "ga9-2032")
    page.fill("#id_starts_on", "2032-10-05")
    page.fill("#id_ends_on", "2032-10-07")
    page.select_option("#id_time_zone", ZONE)
    page.fill("#id_city", "Harbour")
    page.get_by_role("button", name="Create event").click()
    expect(page.locator(".messages")).to_contain_text("9th General Assembly 2032 is created")
    page.goto(f"{url}/events/ga9-2032/sessions/new/")
    page.fill("#id_title", "General Assembly session")
    page.select_option("#id_day", DAY)
    page.fill("#id_start_time", "14:00")
    page.fill("#id_end_time", "17:00")
    page.check("#id_is_assembly")
    page.get_by_role("button", name="Add session").click()
    expect(page.locator(".messages")).to_contain_text("is on the programme")
    event = Event.objects.get(slug="ga9-2032")
    session = event.sessions.get()
    # 14:00 in Nairobi (UTC+3), entered in the event's zone, is 11:00 UTC.
    assert (event.time_zone, session.is_assembly, session.starts_at) == (
        ZONE,
        True,
        dt.datetime(2032, 10, 6, 11, 0, tzinfo=dt.UTC),
    )

    # The meeting, linked to the session.
    page.goto(f"{url}/governance/meetings/new/")
    page.fill("#id_slug", "ga-9")
    page.select_option("#id_body", "ga")
    page.fill("#id_number", "9")
    page.fill("#id_title", "9th General Assembly 2032")
    page.fill("#id_date", DAY)
    page.fill("#id_start_time", "14:00")
    page.fill("#id_end_time", "17:00")
    page.select_option("#id_time_zone", ZONE)
    page.fill("#id_convocation_date", "2032-08-20")
    page.fill("#id_venue", "Harbour Congress Hall")
    page.select_option("#id_host", label=cities[4].name)
    page.fill("#id_chair", "Mayor of Harbour City 0004")
    page.select_option(
        "#id_session", label="9th General Assembly 2032: General Assembly session (06 Oct 2032)"
    )
    page.get_by_role("button", name="Create the draft").click()
    expect(page.locator("h1")).to_have_text("Workspace: 9th General Assembly 2032")
    meeting = Meeting.objects.get(slug="ga-9")
    assert (meeting.session, meeting.status) == (session, MeetingStatus.DRAFT)

    # The agenda: a motion, an election with its candidate, a host selection with two bids.
    items = [
        {"number": "1", "title": "Budget 2033", "kind": "approval", "article": "10"},
        {
            "number": "2",
            "title": "Election of the President City",
            "kind": "election",
            "article": "11",
            "office": "president_city",
            "term_start": DAY,
            "term_end": "2035-12-31",
        },
        {
            "number": "3",
            "title": "Selection of the host of the 10th General Assembly",
            "kind": "selection",
            "article": "11(4)",
            "hosts_meeting": "10th General Assembly 2035",
            "term_start": DAY,
            "term_end": "2035-12-31",
        },
    ]
    for item in items:
        form = page.locator("form[action$='/items/']")
        for name, value in item.items():
            field = form.locator(f"[name={name}]")
            if name in {"kind", "office"}:
                field.select_option(value)
            else:
                field.fill(value)
        form.get_by_role("button", name="Save the item").click()
        expect(page.locator(".messages")).to_contain_text(f"Agenda {item['number']}")
    assert list(AgendaItem.objects.filter(meeting=meeting).values_list("kind", flat=True)) == [
        "approval",
        "election",
        "selection",
    ]
    for number, org in [(2, cities[5]), (3, cities[6]), (3, cities[7])]:
        card = page.locator(".card", has=page.locator(f"h3:text-matches('^Agenda {number}\\\\.')"))
        slate = card.locator("form[action$='/candidates/']")
        slate.locator("select[name=organisation]").select_option(label=org.name)
        slate.locator("input[name=nominated_on]").fill("2032-07-15")
        slate.get_by_role("button", name="Add to the slate").click()
        expect(page.locator(".messages")).to_contain_text(org.name)

    # Convene, then open the session.
    convene = page.locator("form[action$='/step/convene/']")
    convene.locator("#convene_convocation_date").fill("2032-08-20")
    convene.locator("#convene_notice").fill("The Assembly meets in Harbour.")
    convene.get_by_role("button", name="Convene").click()
    expect(page.locator(".messages")).to_contain_text("Convened: the electorate is fixed.")
    page.get_by_role("button", name="Open the session").click()
    expect(page.locator(".badge").first).to_have_text("In session")

    # Delegates registered themselves: five cities, the corporation and the embassy on site.
    on_site = [*cities[:5], corp, embassy]
    codes = []
    for i, org in enumerate(on_site):
        reg = RegistrationFactory(
            event=event,
            organisation=org,
            person_name=f"Head {org.name}",
            position="Mayor" if i < 2 else "Director",
            mayoral_level=i < 2,
            head_of_delegation=True,
            attendance="on_site",
            email=f"head{i}@harbour.example",
            code=f"HARBOUR{i:02d}",
        )
        codes.append(reg.code)

    # The live quorum, watched on its own page while the badge desk checks heads in.
    live = context.new_page()
    live.goto(f"{url}/governance/meetings/ga-9/live/")
    expect(live.locator("[data-present]")).to_have_text("0")
    desk = context.new_page()
    desk.goto(f"{url}/events/ga9-2032/check-in/")
    desk.select_option("select[name=day]", DAY)
    for n, code in enumerate(codes, start=1):
        desk.fill("#code", code)
        desk.get_by_role("button", name="Check in", exact=True).click()
        expect(desk.locator("#checkin-count")).to_contain_text(f"{n} checked in on 6 Oct 2032")
    expect(live.locator("[data-present]")).to_have_text("5")  # the members that count

    # Two cities join online: staff accredit their heads and check them in.
    page.goto(f"{url}/governance/meetings/ga-9/accreditation/")
    for i, org in enumerate(cities[5:7], start=5):
        form = page.locator("#accredit-form")
        form.locator("#id_organisation").select_option(label=org.name)
        form.locator("#id_name").fill(f"Online head {i}")
        form.locator("#id_position").fill("Director")
        form.locator("#id_email").fill(f"online{i}@harbour.example")
        form.locator("#id_mode").select_option("online")
        form.get_by_role("button", name="Accredit").click()
        expect(page.locator(".messages")).to_contain_text(f"Online head {i}")
    page.goto(f"{url}/governance/meetings/ga-9/run/")
    for i in (5, 6):
        row = page.locator("tr", has_text=f"Online head {i}")
        row.locator("select[name=mode]").select_option("online")
        row.get_by_role("button", name="Check in").click()
        expect(page.locator("tr", has_text=f"Online head {i}")).to_contain_text("Online")
    expect(live.locator("[data-present]")).to_have_text("7")
    expect(live.locator("#quorum")).to_contain_text("Quorum met")
    page.goto(f"{url}/governance/meetings/ga-9/accreditation/")
    expect(page.locator("#accreditation-summary")).to_have_text(
        "8 member delegations accredited, 8 present; 1 observer (listed apart, never counted)."
    )

    # The budget goes to a poll from the console; three heads vote through their links.
    page.goto(f"{url}/governance/meetings/ga-9/console/")
    page.get_by_role("button", name="Send the ballot links").click()
    expect(page.locator(".messages")).to_contain_text("ballot links queued")
    links = {
        m.to_address: re.search(r"(/governance/ballot/[^/\s]+/)", m.body_text).group(1)
        for m in Message.objects.filter(kind="governance.ballot_link")
    }
    # Each head's own address, from the registration or given at accreditation.
    assert sorted(links) == [
        *(f"head{i}@harbour.example" for i in range(7)),
        "online5@harbour.example",
        "online6@harbour.example",
    ]
    page.select_option("select[name=item]", label="1. Budget 2033 (Approval)")
    page.select_option("select[name=kind]", "motion")
    page.select_option("select[name=method]", "secret")
    page.click("#open-poll-button")
    expect(page.locator(".messages")).to_contain_text("Poll opened on agenda 1")
    voter = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    for address, choice in [
        ("head0@harbour.example", "For"),
        ("head1@harbour.example", "For"),
        ("online5@harbour.example", "Against"),
    ]:
        ballot = voter.new_page()
        ballot.goto(f"{url}{links[address]}")
        expect(ballot.locator("#ballot-poll")).to_have_text("Agenda 1. Budget 2033")
        ballot.get_by_label(choice).check()
        ballot.click(".ballot-submit")
        expect(ballot.locator("#ballot-receipt")).to_contain_text("Your vote is recorded.")
        ballot.close()
    expect(page.locator("#turnout-count")).to_have_text("3 of 7")
    page.click("#close-poll")
    expect(page.locator(".messages")).to_contain_text("Poll on agenda 1 closed:")

    # The election and the host selection are decided on the run page.
    page.goto(f"{url}/governance/meetings/ga-9/run/")
    card = page.locator(".card", has=page.locator("h3", has_text="Agenda 2."))
    card.locator("input[name=outcome]").fill("Harbour City 0005 is elected President City.")
    card.get_by_role("button", name="Record decision").click()
    expect(page.locator(".messages")).to_contain_text("Agenda 2: Adopted.")
    card = page.locator(".card", has=page.locator("h3", has_text="Agenda 3."))
    card.get_by_label(cities[7].name).uncheck()
    card.locator("input[name=outcome]").fill("Harbour City 0006 hosts the 10th Assembly.")
    card.get_by_role("button", name="Record decision").click()
    expect(page.locator(".messages")).to_contain_text("Agenda 3: Adopted.")

    # Conclude; a later EXCOM meeting approves the minutes; staff record it and publish.
    page.goto(f"{url}/governance/meetings/ga-9/workspace/")
    page.get_by_role("button", name="Conclude the meeting").click()
    expect(page.locator(".messages")).to_contain_text("Concluded")
    approval = _excom_approves(cities)
    page.goto(f"{url}/governance/meetings/ga-9/workspace/")
    page.select_option("select[name=approved_by]", str(approval.pk))
    page.get_by_role("button", name="Approve the minutes").click()
    page.get_by_role("button", name="Publish the minutes").click()
    expect(page.locator(".badge").first).to_have_text("Minutes published")

    # The memorandum's PDF, public now.
    memo = _flat(
        pdf_text(context.request.get(f"{url}/governance/meetings/ga-9/memorandum.pdf").body())
    )
    population = sum(c.population for c in cities[:7])
    assert "Attendees (members) 7 local governments, 1 corporation" in memo
    assert "Observers (not members, not counted): 1." in memo
    assert (
        "8 members, so the quorum is \u23088 \u00d7 1/4\u2309 = 2. 7 quorum members were "
        f"present, representing a population of {population:,}: the quorum was met"
    ) in memo
    assert "Outcome: Adopted" in memo and "for 2, against 1" in memo
    assert f"{cities[5].name} \u2014 elected" in memo
    assert (
        f"Next General Assembly: the 10th, hosted by {cities[6].name} (selected under agenda 3)."
    ) in memo
    assert f"President City {cities[5].name} 2032\u20132035" in memo
    assert f"Executive Vice President City {cities[6].name} 2032\u20132035" in memo
    observers = memo.split("Observers (listed apart, never counted)")[1]
    assert "1. Embassy of Synthetica Embassy" in observers

    # The activity report, built from its page and downloaded from the job.
    page.goto(f"{url}/reports/build/")
    page.select_option("select[name=assembly]", label="9th General Assembly 2032")
    page.get_by_role("button", name="Build the PDF").click()
    expect(page.locator("#build-result")).to_contain_text("9")
    run_jobs()
    job = Job.objects.get(kind="reports.build")
    page.goto(f"{url}/jobs/{job.pk}/")
    href = page.get_by_role("link", name=re.compile("^Download")).get_attribute("href")
    report = _flat(pdf_text(context.request.get(f"{url}{href}").body()))
    assert (
        f"7 quorum members present of 8 (2 required), representing a population of "
        f"{population:,}; 2 members represented at mayoral level."
    ) in report
    assert "Attendees (members) 7 local governments, 1 corporation" in report
    assert (
        f"Officers for 2032\u20132035: {cities[5].name} (President City); {cities[6].name} "
        "(Executive Vice President City)"
    ) in report
    assert f"Host: {cities[6].name}." in report
    assert "Embassy of Synthetica" in report.split("Observers (listed apart, never counted)")[1]
    context.close()
    voter.close()


def _excom_approves(cities: list) -> AgendaItem:
    """The EXCOM of April 2033 adopts the approval of the 9th Assembly's minutes."""
    excom = domain.meeting_save(
        actor=None,
        slug="excom-2033",
        body="excom",
        title="EXCOM 2033",
        date=dt.date(2033, 4, 12),
        convocation_date=dt.date(2033, 3, 1),
        time_zone=ZONE,
    )
    item = domain.agenda_item_save(
        actor=None,
        meeting=excom,
        number=1,
        title="Minutes of the 9th General Assembly",
        kind="approval",
        article="13",
    )
    domain.meeting_convene(
        actor=None, meeting=excom, convocation_date=dt.date(2033, 3, 1), notice="EXCOM."
    )
    domain.meeting_open(actor=None, meeting=excom)
    for org in cities[:2]:
        delegate = domain.delegate_accredit(actor=None, meeting=excom, organisation=org)
        domain.attendance_check_in(actor=None, delegate=delegate)
    domain.decision_record(actor=None, agenda_item=item)
    return item
