"""A synthetic 7th General Assembly (Almaty, 24 September 2026) prepared, convened, held,
concluded and minuted through the governance API; the event and its registrations come
from factories, the badge check-ins go through the events API. Every figure is asserted."""

import datetime as dt
import re

import pytest

from tests.factories.events import EventFactory, RegistrationFactory, SessionFactory
from tests.factories.governance import OfficeTermFactory, QuorumRuleFactory, members
from tests.factories.members import OrganisationFactory, member_since
from urbis.common.pdf import pdf_text

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 9, 24)
TERM_END = "2029-12-31"
API = "/api/v1/governance"


def _ok(response, status=200):
    assert response.status_code == status, response.content
    return response.json()


@pytest.fixture
def world(db):
    QuorumRuleFactory()
    cities = members(60)  # local governments in good standing
    seoul, almaty, kampala, sao_paulo, tashkent, abuja = cities[:6]
    for org, kind in [
        (seoul, "president_city"),
        (almaty, "evp_city"),
        (kampala, "vp_city"),
        (sao_paulo, "vp_city"),
    ]:
        OfficeTermFactory(
            kind=kind, organisation=org, start=dt.date(2023, 9, 26), end=dt.date(2026, 12, 31)
        )
    corps = [
        member_since(dt.date(2020, 1, 1), name=f"Corp {i}", category="corporation")
        for i in range(3)
    ]
    embassy = OrganisationFactory(name="Embassy of Atlantis", category="embassy")
    outsider = OrganisationFactory(name="Non-member City")
    event = EventFactory(
        slug="ga7-2026",
        starts_on=dt.date(2026, 9, 23),
        ends_on=dt.date(2026, 9, 25),
        time_zone="Asia/Almaty",
    )
    session = SessionFactory(event=event, day=DAY, is_assembly=True, title="7th GA")
    return {
        "cities": cities,
        "corps": corps,
        "embassy": embassy,
        "outsider": outsider,
        "event": event,
        "session": session,
        "almaty": almaty,
        "tashkent": tashkent,
        "abuja": abuja,
        "seoul": seoul,
    }


def test_the_7th_general_assembly_through_the_api(client, staff_user, world, run_jobs):
    client.force_login(staff_user)
    cities = world["cities"]
    meeting = _ok(
        client.post(
            f"{API}/meetings",
            {
                "slug": "ga-7",
                "body": "ga",
                "number": 7,
                "title": "7th General Assembly 2026",
                "date": "2026-09-24",
                "start_time": "15:00",
                "end_time": "17:00",
                "time_zone": "Asia/Almaty",
                "convocation_date": "2026-08-01",
                "venue": "Almaty Congress Hall",
                "host_id": world["almaty"].pk,
                "chair": "Mayor of Almaty",
                "session_id": world["session"].pk,
            },
            content_type="application/json",
        ),
        201,
    )
    assert (meeting["status"], meeting["session_id"]) == ("draft", world["session"].pk)
    items = [
        {"number": 1, "title": "Activity report", "kind": "report", "article": "9"},
        {
            "number": 2,
            "title": "Budget 2027",
            "kind": "approval",
            "article": "10",
            "method": "roll_call",
        },
        {
            "number": 3,
            "title": "Election of the President City",
            "kind": "election",
            "article": "11",
            "office": "president_city",
            "term_start": "2026-09-24",
            "term_end": TERM_END,
        },
        {
            "number": 4,
            "title": "Appointment of Vice President Cities",
            "kind": "appointment",
            "article": "11(2)",
            "office": "vp_city",
            "term_start": "2026-09-24",
            "term_end": TERM_END,
        },
        {
            "number": 5,
            "title": "Election of the EXCOM",
            "kind": "election",
            "article": "12",
            "office": "excom_member",
            "term_start": "2026-09-24",
            "term_end": TERM_END,
            "call_for_candidates_on": "2026-06-30",
        },
        {
            "number": 6,
            "title": "Selection of the host of the 8th GA",
            "kind": "selection",
            "article": "11(4)",
            "hosts_meeting": "8th General Assembly 2029",
            "term_start": "2026-09-24",
            "term_end": TERM_END,
        },
    ]
    ids = {}
    for item in items:
        out = _ok(
            client.post(f"{API}/meetings/ga-7/items", item, content_type="application/json"), 201
        )
        ids[item["number"]] = out["id"]
    slates = {
        3: [world["seoul"]],
        4: [world["abuja"], cities[21]],
        5: cities[10:15],
        6: [world["tashkent"], cities[20]],
    }
    for number, orgs in slates.items():
        for order, org in enumerate(orgs, start=1):
            _ok(
                client.post(
                    f"{API}/items/{ids[number]}/candidates",
                    {"organisation_id": org.pk, "nominated_on": "2026-07-15", "order": order},
                    content_type="application/json",
                ),
                201,
            )
    listed = _ok(client.get(f"{API}/meetings/ga-7/items?kind=election"))
    assert [i["number"] for i in listed["items"]] == [3, 5]
    _ok(
        client.post(
            f"{API}/meetings/ga-7/convene",
            {"convocation_date": "2026-08-01", "notice": "Convened by the President City."},
            content_type="application/json",
        )
    )
    _ok(client.post(f"{API}/meetings/ga-7/open"))

    # 24 member cities and 2 corporations on site (badges), 8 cities online, 2 observers.
    on_site = cities[:24] + world["corps"][:2] + [world["embassy"], world["outsider"]]
    for i, org in enumerate(on_site):
        reg = RegistrationFactory(
            event=world["event"],
            organisation=org,
            person_name=f"Head {i}",
            position="Mayor" if i < 10 else "Director",
            mayoral_level=i < 10,
            head_of_delegation=True,
            attendance="on_site",
            code=f"GASEVEN{i:03d}",
        )
        _ok(
            client.post(
                "/api/v1/events/ga7-2026/checkins",
                {"code": reg.code, "day": "2026-09-24"},
                content_type="application/json",
            ),
            201,
        )
    for org in cities[24:32]:
        d = _ok(
            client.post(
                f"{API}/meetings/ga-7/delegates",
                {
                    "organisation_id": org.pk,
                    "name": f"Online {org.name}",
                    "position": "Director",
                    "mode": "online",
                },
                content_type="application/json",
            ),
            201,
        )
        _ok(
            client.post(
                f"{API}/meetings/ga-7/check-ins",
                {"delegate_id": d["id"]},
                content_type="application/json",
            )
        )
    quorum = _ok(client.get(f"{API}/meetings/ga-7/quorum"))
    assert (quorum["present"], quorum["eligible"], quorum["required"], quorum["met"]) == (
        32,
        60,
        15,
        True,
    )
    assert quorum["population"] == sum(c.population for c in cities[:32])
    attendance = _ok(client.get(f"{API}/meetings/ga-7/attendance"))
    assert len(attendance["members"]) == 34
    assert [o["organisation"] for o in attendance["observers"]] == [
        "Embassy of Atlantis",
        "Non-member City",
    ]
    delegates = _ok(client.get(f"{API}/meetings/ga-7/delegates?present=true"))
    assert delegates["count"] == 36

    # Votes on the budget (roll call), then every decision.
    for i, org in enumerate(cities[:30]):
        _ok(
            client.post(
                f"{API}/items/{ids[2]}/votes",
                {"organisation_id": org.pk, "choice": "for" if i < 25 else "against"},
                content_type="application/json",
            )
        )
    for number in (1, 2, 3, 4, 5):
        _ok(
            client.post(
                f"{API}/items/{ids[number]}/decision",
                {"outcome": f"Agenda {number}"},
                content_type="application/json",
            )
        )
    result = _ok(
        client.post(
            f"{API}/items/{ids[6]}/decision",
            {"outcome": "Tashkent hosts the 8th GA.", "selected": [world["tashkent"].pk]},
            content_type="application/json",
        )
    )
    assert (result["result"], result["quorum_present"], result["quorum_required"]) == (
        "adopted",
        32,
        15,
    )
    budget = _ok(client.get(f"{API}/items/{ids[2]}/result"))
    assert (budget["votes_for"], budget["votes_against"], budget["result"]) == (25, 5, "adopted")

    # Offices on the day: one President, one EVP (the next host), two VPs.
    offices = _ok(client.get(f"{API}/offices?on=2026-09-24"))
    held = sorted((o["office"], o["holder"]) for o in offices if o["office"] != "excom_member")
    assert held == [
        ("evp_city", world["tashkent"].name),
        ("president_city", world["seoul"].name),
        ("vp_city", world["abuja"].name),
        ("vp_city", cities[21].name),
    ]
    before = _ok(client.get(f"{API}/offices?on=2026-09-23"))
    assert ("evp_city", world["almaty"].name) in {(o["office"], o["holder"]) for o in before}

    # Conclude: the record is read-only.
    _ok(client.post(f"{API}/meetings/ga-7/conclude"))
    late = cities[40]
    response = client.post(
        f"{API}/meetings/ga-7/delegates",
        {"organisation_id": late.pk, "name": "Late"},
        content_type="application/json",
    )
    assert response.status_code == 409
    response = client.post(
        f"{API}/items/{ids[2]}/votes",
        {"organisation_id": cities[31].pk, "choice": "for"},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert client.get("/governance/meetings/ga-7/memorandum/").status_code == 200  # staff
    client.logout()
    assert client.get("/governance/meetings/ga-7/memorandum/").status_code == 403
    client.force_login(staff_user)

    # An EXCOM meeting in 2027 approves the minutes; they are then published.
    _ok(
        client.post(
            f"{API}/meetings",
            {
                "slug": "excom-2027",
                "body": "excom",
                "title": "EXCOM 2027",
                "date": "2027-04-15",
                "convocation_date": "2027-03-01",
                "time_zone": "Asia/Almaty",
            },
            content_type="application/json",
        ),
        201,
    )
    approval = _ok(
        client.post(
            f"{API}/meetings/excom-2027/items",
            {"number": 1, "title": "Minutes of the 7th GA", "kind": "approval", "article": "13"},
            content_type="application/json",
        ),
        201,
    )
    _ok(
        client.post(
            f"{API}/meetings/excom-2027/convene",
            {"convocation_date": "2027-03-01", "notice": "EXCOM convened."},
            content_type="application/json",
        )
    )
    _ok(client.post(f"{API}/meetings/excom-2027/open"))
    for org in cities[10:13]:
        d = _ok(
            client.post(
                f"{API}/meetings/excom-2027/delegates",
                {"organisation_id": org.pk, "name": f"EXCOM {org.name}"},
                content_type="application/json",
            ),
            201,
        )
        _ok(
            client.post(
                f"{API}/meetings/excom-2027/check-ins",
                {"delegate_id": d["id"]},
                content_type="application/json",
            )
        )
    excom_quorum = _ok(client.get(f"{API}/meetings/excom-2027/quorum"))
    assert (excom_quorum["present"], excom_quorum["eligible"], excom_quorum["required"]) == (
        3,
        5,
        2,
    )
    _ok(client.post(f"{API}/items/{approval['id']}/decision", {}, content_type="application/json"))
    approved = _ok(
        client.post(
            f"{API}/meetings/ga-7/minutes/approve",
            {"approved_by_item_id": approval["id"]},
            content_type="application/json",
        )
    )
    assert (approved["status"], approved["minutes_approved_on"]) == (
        "minutes_approved",
        "2027-04-15",
    )
    assert _ok(client.post(f"{API}/meetings/ga-7/minutes/publish"))["status"] == "published"
    client.logout()
    html = client.get("/governance/meetings/ga-7/memorandum/").content.decode()
    flat = " ".join(html.split())
    assert "32 local governments, 2 corporations</p>" in flat
    assert "Observers (not members, not counted): 2." in flat
    assert (
        "60 members, so the quorum is ⌈60 \u00d7 1/4⌉ = 15. 32 quorum members were present" in flat
    )
    assert f"Executive Vice President City</td><td>{world['tashkent'].name}</td>" in flat
    assert f"President City</td><td>{world['seoul'].name}</td>" in flat
    assert (
        f"{world['almaty'].name}</td>"
        not in re.split(r"<h2>Officers[^<]*</h2>", flat)[1].split("</table>")[0]
    )
    tashkent = world["tashkent"].name
    assert (
        f"Next General Assembly: the 8th, hosted by {tashkent} (selected under agenda 6)." in flat
    )
    assert flat.count("Outcome: Adopted") == 5 and flat.count("Outcome: Noted (report)") == 1

    # The activity report of the 7th Assembly, built through the API and read from its PDF.
    client.force_login(staff_user)
    job = _ok(client.post("/api/v1/reports/assemblies/7/builds"), 202)
    run_jobs()
    done = _ok(client.get(f"/api/v1/jobs/{job['id']}"))
    assert done["state"] == "succeeded", done
    report = " ".join(pdf_text(client.get(done["download_url"]).content).split())
    seoul, tashkent, abuja = (world[k].name for k in ("seoul", "tashkent", "abuja"))
    assert "32 Quorum members present" in report
    assert (
        "32 quorum members present of 60 (15 required), representing a population of "
        f"{sum(c.population for c in cities[:32]):,}; 10 members represented at mayoral level."
    ) in report
    assert "Attendees (members) 32 local governments, 2 corporations" in report
    assert "Observers (not members, not counted): 2." in report
    assert (
        "60 members, so the quorum is ⌈60 \u00d7 1/4⌉ = 15. 32 quorum members were present"
        in report
    )
    assert "Adopted: Agenda 2" in report
    assert "Outcome: Adopted — Agenda 2 (for 25, against 5, abstentions 0)" in report
    assert (
        f"Officers for 2026\u20132029: {seoul} (President City); {tashkent} (Executive Vice "
        f"President City); {abuja} (Vice President City); {cities[21].name} (Vice President "
        "City)."
    ) in report
    assert (
        f"The Next Assembly: 8th General Assembly 2029 Host: {tashkent}. Tashkent hosts the "
        f"8th GA. Executive Vice President City (Art. 11(4): the next host): {tashkent}, "
        "2026\u20132029."
    ) in report
    observers = report.split("Observers (listed apart, never counted)")[1]
    assert observers.startswith(
        " No. Organisation Category Country Attendance Position 1. Embassy of Atlantis Embassy"
    )
    assert "2. Non-member City Local government" in observers
