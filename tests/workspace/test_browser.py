"""Each role's pages in a browser: at 390 x 844 no page scrolls sideways, every role's
dashboard at desktop and phone sizes, the projector view of the live quorum, the error
pages, and an accessibility audit (axe-core, vendored in `tests/assets/`) with no serious or
critical violation. Screenshots go to pytest's temporary directory of each test.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.test import Client

from tests.factories.world import World, build_world

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[1] / "assets" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
PROJECTOR = {"width": 1920, "height": 1080}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A representative page list per role (the world's objects), the dashboard first.
PAGES: dict[str, list[str]] = {
    "anon": [
        "/",
        "/members/",
        "/members/{org}/",
        "/events/",
        "/events/ga-2023/",
        "/governance/",
        "/governance/meetings/ga-6/",
        "/governance/meetings/ga-6/memorandum/",
        "/prize/",
        "/prize/2023/",
        "/index/",
        "/index/{index_year}/",
        "/dues/between-assemblies/",
        "/accounts/login/",
        "/accounts/password_reset/",
    ],
    "focal": [
        "/",
        "/members/{org}/",
        "/members/{org}/edit/",
        "/dues/mine/",
        "/dues/ledger/{org}/",
        "/events/ga-2023/registrations/",
        "/prize/my/applications/",
        "/account/tokens/",
    ],
    "evaluator": ["/", "/prize/my/reviews/", "/prize/reviews/{assignment}/"],
    "excom": ["/", "/dues/review/", "/prize/2023/rounds/1/", "/governance/offices/"],
    "staff": [
        "/",
        "/dues/invoices/",
        "/dues/arrears/",
        "/dues/review/",
        "/events/manage/",
        "/events/ga-2023/manage/",
        "/governance/meetings/ga-6/run/",
        "/prize/2023/manage/",
        "/prize/2023/triage/",
        "/messaging/",
        "/jobs/",
        "/reports/build/",
        "/members/import/",
        "/index/{index_year}/audit/",
    ],
}
USERS = {"focal": "focal", "evaluator": "evaluator", "excom": "excom", "staff": "staff"}

AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))
  }));
}"""


@pytest.fixture
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing")
    # Playwright's sync API runs an event loop in this thread; the ORM calls between
    # browser steps are synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def _pages(w: World, role: str) -> list[str]:
    values = {
        "org": w.a.slug,
        "index_year": w.objects["index_edition"]["own"].year,
        "assignment": w.objects["assignment"]["own"].pk,
    }
    return [p.format(**values) for p in PAGES[role]]


def _context(browser, live_server, w: World, role: str, viewport: dict[str, int]):
    # The audit script is injected by the test, not served by the site: let it past the CSP.
    context = browser.new_context(
        viewport=viewport, bypass_csp=True, is_mobile=viewport["width"] < 600
    )
    if role in USERS:
        client = Client()
        client.force_login(w.users[USERS[role]])
        host = live_server.url.split("//", 1)[1].split(":")[0]
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


def _overflow(page) -> int:
    """How many CSS pixels the page is wider than the window (0: no sideways scrolling)."""
    return int(
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    )


def _widest(page) -> list[str]:
    """The elements that reach past the window's right edge (for the failure message)."""
    return page.evaluate(
        """() => {
      const w = document.documentElement.clientWidth, out = [];
      for (const el of document.querySelectorAll("body *")) {
        const r = el.getBoundingClientRect();
        if (r.right > w + 1 && !el.closest(".table-scroll")) {
          out.push(el.tagName.toLowerCase() + (el.className ? "." + el.className : "")
                   + " " + Math.round(r.right));
        }
      }
      return out.slice(0, 8);
    }"""
    )


def _audit(page) -> list[str]:
    page.evaluate(AXE.read_text())
    violations = page.evaluate(AXE_RUN)
    return [
        f"{v['impact']} {v['id']} ({v['help']}): {v['nodes']}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("role", list(PAGES))
def test_role_pages_fit_a_phone_and_pass_the_audit(browser, live_server, tmp_path, role):
    w = build_world()
    problems: list[str] = []
    phone = _context(browser, live_server, w, role, PHONE).new_page()
    for n, path in enumerate(_pages(w, role)):
        response = phone.goto(f"{live_server.url}{path}", wait_until="networkidle")
        assert response is not None and response.status == 200, (path, response and response.status)
        phone.screenshot(path=str(tmp_path / f"{role}-phone-{n:02d}.png"), full_page=True)
        if (extra := _overflow(phone)) > 0:
            problems.append(f"{path}: {extra}px wider than the phone: {_widest(phone)}")
        problems += [f"{path}: {v}" for v in _audit(phone)]
    # The dashboard at desktop size, audited too.
    desktop = _context(browser, live_server, w, role, DESKTOP).new_page()
    desktop.goto(f"{live_server.url}/")
    desktop.screenshot(path=str(tmp_path / f"{role}-dashboard-desktop.png"), full_page=True)
    problems += [f"/ (desktop): {v}" for v in _audit(desktop)]
    assert not problems, "\n".join(problems)


def test_phone_menu_opens_and_reaches_the_links(browser, live_server, tmp_path):
    w = build_world()
    page = _context(browser, live_server, w, "staff", PHONE).new_page()
    page.goto(f"{live_server.url}/")
    nav = page.locator("#site-nav")
    assert not nav.is_visible()
    page.click(".menu-toggle")
    assert nav.is_visible()
    assert page.get_attribute(".menu-toggle", "aria-expanded") == "true"
    page.screenshot(path=str(tmp_path / "staff-phone-menu.png"), full_page=True)
    jobs = page.get_by_role("link", name="Jobs", exact=True)
    box = jobs.bounding_box()
    assert box is not None and box["height"] >= 44
    jobs.click()
    page.wait_for_url(f"{live_server.url}/jobs/")


def test_skip_link_is_the_first_stop_and_moves_to_the_content(browser, live_server):
    build_world()
    page = browser.new_context(viewport=DESKTOP).new_page()
    page.goto(f"{live_server.url}/members/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to content"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#content"


def test_projector_view_of_the_live_quorum(browser, live_server, tmp_path):
    w = build_world()
    meeting = w.objects["meeting"]["own"]
    url = f"{live_server.url}/governance/meetings/{meeting.slug}/live/"
    page = browser.new_context(viewport=PROJECTOR, bypass_csp=True).new_page()
    page.goto(url + "?projector=1")
    assert page.evaluate("document.body.classList.contains('projector')")
    assert not page.locator(".topbar").is_visible()
    status = page.locator("#quorum .quorum-status")
    assert status.inner_text() == "Quorum not met"
    assert page.evaluate("getComputedStyle(document.body).fontSize") == "28px"
    bar = page.locator("#quorum [role=progressbar]")
    assert bar.get_attribute("aria-valuenow") == "0"
    page.screenshot(path=str(tmp_path / "quorum-projector.png"), full_page=True)
    assert _audit(page) == []
    # The ordinary view keeps the menu and fits a phone.
    phone = browser.new_context(viewport=PHONE, bypass_csp=True).new_page()
    phone.goto(url)
    assert not phone.evaluate("document.body.classList.contains('projector')")
    assert _overflow(phone) == 0
    phone.screenshot(path=str(tmp_path / "quorum-phone.png"), full_page=True)


def test_error_pages_in_the_sites_look(browser, live_server, tmp_path):
    w = build_world()
    page = _context(browser, live_server, w, "excom", DESKTOP).new_page()
    response = page.goto(f"{live_server.url}/no-such-page/")
    assert response is not None and response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    assert page.locator("#site-nav").is_visible()
    page.screenshot(path=str(tmp_path / "error-404.png"), full_page=True)
    assert _audit(page) == []
    response = page.goto(f"{live_server.url}/reports/build/")
    assert response is not None and response.status == 403
    assert page.locator("h1").inner_text() == "Not allowed"
    page.screenshot(path=str(tmp_path / "error-403.png"), full_page=True)
    assert _audit(page) == []
    icon = page.request.get(f"{live_server.url}/favicon.ico")
    assert icon.status == 200
