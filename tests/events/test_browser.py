"""In the browser: register a delegate, print the badge, check in on a phone-sized screen.

Drives Debian's Chromium (/usr/bin/chromium) through Playwright's Python package. The set-up
installs Chromium from Debian's packages when it is missing (needs root and apt-get) and
skips with the reason otherwise.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.factories.events import EventFactory, SessionFactory
from tests.factories.members import OrganisationFactory
from urbis.common.pdf import pdf_text
from urbis.events.models import CheckIn, Registration

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _ensure_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        pytest.skip(f"{CHROMIUM} is missing and cannot be installed (needs root and apt-get)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            pytest.skip(f"could not install chromium: {' '.join(cmd)}: {done.stderr[-300:]}")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"apt-get installed chromium but {CHROMIUM} is still missing")


@pytest.fixture
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    _ensure_chromium()
    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # between browser steps are synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def test_register_print_badge_and_check_in(browser, live_server, staff_user, client):
    event = EventFactory(slug="ga-browser", name="General Assembly (browser test)")
    SessionFactory(
        event=event, title="City Tour Bus", kind="tour", capacity=30, requires_signup=True
    )
    org = OrganisationFactory(name="Wellington", country="NZ")
    client.force_login(staff_user)
    session_cookie = client.cookies["sessionid"].value
    host = live_server.url.split("//", 1)[1].split(":")[0]

    context = browser.new_context(viewport={"width": 1200, "height": 900})
    context.add_cookies(
        [{"name": "sessionid", "value": session_cookie, "domain": host, "path": "/"}]
    )
    page = context.new_page()

    # Register a delegate through the form.
    page.goto(f"{live_server.url}/events/ga-browser/register/")
    page.select_option("#id_organisation", str(org.pk))
    page.fill("#id_person_name", "Tory Whanau")
    page.fill("#id_position", "Mayor")
    page.check("#id_mayoral_level")
    page.get_by_label("City Tour Bus", exact=False).check()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "events-register.png"), full_page=True)
    page.click("main button[type=submit]")
    page.wait_for_selector("#badge-code", timeout=10_000)
    reg = Registration.objects.get(person_name="Tory Whanau")
    assert page.inner_text("#badge-code") == f"{reg.code[:4]}-{reg.code[4:]}"
    assert page.inner_text("#reg-status") == "Approved"

    # Print the badge: the link serves a PDF carrying the delegate's name.
    href = page.get_attribute("#badge-link", "href")
    pdf = page.request.get(f"{live_server.url}{href}")
    assert pdf.headers["content-type"] == "application/pdf"
    assert "Tory Whanau" in pdf_text(pdf.body())

    # Check in on a phone-sized screen by typing the code, twice: recorded once.
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    phone.add_cookies([{"name": "sessionid", "value": session_cookie, "domain": host, "path": "/"}])
    mobile = phone.new_page()
    mobile.goto(f"{live_server.url}/events/ga-browser/check-in/")
    mobile.fill("#code", reg.code.lower())
    mobile.click("main button[type=submit]")
    mobile.wait_for_selector("#checkin-ok", timeout=10_000)
    assert "Checked in:" in mobile.inner_text("#checkin-ok")
    # The page script clears the field for the next badge (no inline script: CSP-clean).
    mobile.wait_for_function("document.getElementById('code').value === ''")
    mobile.fill("#code", f"{reg.code[:4]}-{reg.code[4:]}")
    mobile.click("main button[type=submit]")
    mobile.wait_for_selector("#checkin-ok >> text=Already checked in")
    assert CheckIn.objects.filter(registration=reg).count() == 1

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "events-checkin-phone.png"
    mobile.screenshot(path=str(shot), full_page=True)
    page.goto(f"{live_server.url}/events/ga-browser/registrations/")
    page.screenshot(path=str(ARTIFACTS / "events-registrations.png"), full_page=True)
    print(f"screenshots: {shot} and {ARTIFACTS / 'events-registrations.png'}")
    phone.close()
    context.close()
