"""In the browser: staff prepare a synthetic 7th General Assembly (Almaty, September 2026,
Asia/Almaty) through the pages — event, venue, two days of sessions entered in local time —
and find them in the public programme at the times they typed."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.events.test_browser import ARTIFACTS, browser  # noqa: F401  (the fixture)
from urbis.events.models import Event, Session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_prepare_an_event_through_the_pages(browser, live_server, staff_user, client):  # noqa: F811
    client.force_login(staff_user)
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
    page = context.new_page()
    page.goto(f"{live_server.url}/")

    # From the navigation to a new event.
    page.click("nav >> text=Manage events")
    page.click("main >> text=New event")
    page.fill("#id_name", "7th General Assembly")
    page.fill("#id_slug", "ga-7")
    page.fill("#id_starts_on", "2026-09-22")
    page.fill("#id_ends_on", "2026-09-23")
    page.select_option("#id_time_zone", "Asia/Almaty")
    page.fill("#id_city", "Almaty")
    page.select_option("#id_country", "KZ")
    page.fill("#id_official_language", "English")
    page.fill("#id_registration_opens_at", "2026-06-01T09:00")
    page.fill("#id_registration_closes_at", "2026-09-10T18:00")
    page.click("main button[type=submit]")
    page.wait_for_selector("#programme")
    assert page.url.endswith("/events/ga-7/manage/")

    # A venue, then back to the workspace.
    page.click("#venues >> text=New venue")
    page.fill("#id_name", "Palace of the Republic")
    page.fill("#id_address", "56 Dostyk Ave")
    page.click("main button[type=submit]")
    page.wait_for_selector("#programme")

    # Day 1: the Assembly at 15:00 local time, with a moderator.
    page.click("#day-2026-09-22 >> text=Add a session")
    page.fill("#id_title", "General Assembly")
    page.fill("#id_start_time", "15:00")
    page.fill("#id_end_time", "17:30")
    page.select_option("#id_venue", label="Palace of the Republic")
    page.fill("#id_people", "moderator | Aida Nurlanovna | Secretary General")
    page.check("#id_is_assembly")
    page.click("main button[type=submit]")
    page.wait_for_selector("#day-2026-09-22 >> text=General Assembly")

    # Day 2: a meeting point with two pick-up places; first a typo the form refuses.
    page.click("#day-2026-09-23 >> text=Add a session")
    page.fill("#id_title", "City tour meeting point")
    page.select_option("#id_kind", "meeting_point")
    page.fill("#id_start_time", "09:00")
    page.fill("#id_end_time", "08:30")
    page.fill("#id_pickup_places", "Hotel Kazakhstan | 52 Dostyk Ave\nRixos Almaty")
    page.click("main button[type=submit]")
    assert "The session ends before it starts." in page.inner_text(".field.invalid")
    page.fill("#id_end_time", "09:30")
    page.click("main button[type=submit]")
    page.wait_for_selector("#day-2026-09-23 >> text=City tour meeting point")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "events-workspace.png"), full_page=True)

    # The public programme shows both days at the local times typed.
    page.click("text=Public programme")
    page.wait_for_selector("#day-2")
    day1 = page.inner_text("#day-1")
    assert "Day 1 — Tuesday 22 September 2026" in day1
    assert "15:00 \u2013 17:30" in day1
    assert "Moderator: Aida Nurlanovna, Secretary General" in day1
    day2 = page.inner_text("#day-2")
    assert "09:00 \u2013 09:30" in day2
    assert "Hotel Kazakhstan — 52 Dostyk Ave" in day2
    assert "Time (Asia/Almaty)" in day1
    page.screenshot(path=str(ARTIFACTS / "events-programme-ga7.png"), full_page=True)

    event = Event.objects.get(slug="ga-7")
    assert event.registration_opens_at == dt.datetime(2026, 6, 1, 4, 0, tzinfo=dt.UTC)
    assembly = Session.objects.get(event=event, is_assembly=True)
    assert assembly.starts_at == dt.datetime(2026, 9, 22, 10, 0, tzinfo=dt.UTC)
    assert [p.name for p in Session.objects.get(kind="meeting_point").pickup_places.all()] == [
        "Hotel Kazakhstan",
        "Rixos Almaty",
    ]
    context.close()
