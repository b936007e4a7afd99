"""In the browser: an evaluator opens an assignment, reads the PDF, scores with comments
and sees the progress; staff close the round after the last review and publish.

Drives Debian's Chromium (/usr/bin/chromium) through Playwright's Python package; skips
when either is missing.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from tests.factories.prize import ApplicationFactory, EvaluatorFactory, make_edition
from urbis.common.actor import Actor
from urbis.prize import domain
from urbis.prize.models import Assignment, Award, Criterion, Score, SupportingDocument

CHROMIUM = "/usr/bin/chromium"
CODES = ["problem", "design", "implementation", "monitoring", "impact", "inclusiveness"]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("closed_scores_cleared"),
]


@pytest.fixture
def closed_scores_cleared(transactional_db):
    """After the test, remove the closed round's scores past the guard trigger, so that
    the database can be emptied for the next test: SQLite empties tables with DELETE,
    which the trigger refuses for a closed round (PostgreSQL's TRUNCATE fires no row
    trigger). The trigger is put back at once."""
    yield
    if connection.vendor != "sqlite":
        return
    guard = importlib.import_module("urbis.prize.migrations.0002_closed_round_trigger")
    create = next(sql for sql in guard.SQLITE_FORWARD if "prize_score_closed_delete" in sql)
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS prize_score_closed_delete")
        cursor.execute("DELETE FROM prize_score")
        cursor.execute(create)


@pytest.fixture
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def _page(browser, live_server, client, user):
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
    return context.new_page()


def test_evaluator_scores_and_staff_close_and_publish(
    browser, live_server, client, staff_user, settings, tmp_path
):
    expect = pytest.importorskip("playwright.sync_api").expect
    settings.MEDIA_ROOT = tmp_path
    edition = make_edition(2026, reviews=1)
    edition.rounds.filter(number__gt=1).delete()
    edition.rounds.filter(number=1).update(advance="final", advance_k=None)
    edition.award_kinds.exclude(code="tech-gold").delete()
    Criterion.objects.filter(edition=edition, code="impact").update(
        levels={"1": "No evidence", "5": "Measured, lasting impact"}
    )
    tech = edition.categories.get(code="tech-innovacity")
    apps = [
        ApplicationFactory(edition=edition, category=tech, reference=f"P2026-0000{i}")
        for i in (1, 2)
    ]
    SupportingDocument.objects.create(
        application=apps[0],
        title="Project brief",
        file=SimpleUploadedFile("brief.pdf", PDF, content_type="application/pdf"),
    )
    ev = EvaluatorFactory(edition=edition, name="Ana", country="KR")
    r1 = edition.rounds.get(number=1)
    domain.round_open(actor=Actor.for_user(staff_user), round_=r1)
    domain.assignments_generate(actor=Actor.for_user(staff_user), round_=r1)
    first = Assignment.objects.get(application=apps[0])
    second = Assignment.objects.get(application=apps[1])

    page = _page(browser, live_server, client, ev.user)
    page.goto(f"{live_server.url}/prize/my/reviews/")
    expect(page.locator(".progress").first).to_have_text("0 of 2 done")
    page.click(f"text={apps[0].reference}")
    expect(page.locator("h1")).to_have_text(apps[0].title)
    frame = page.locator("iframe.document")
    expect(frame).to_have_attribute(
        "src", f"/prize/documents/{SupportingDocument.objects.get().pk}/"
    )
    pdf = page.request.get(f"{live_server.url}{frame.get_attribute('src')}")
    assert (pdf.status, pdf.headers["content-type"], pdf.body()) == (200, "application/pdf", PDF)
    expect(page.get_by_text("Measured, lasting impact").first).to_be_visible()
    for code in CODES:
        page.select_option(f"select[name={code}]", "4")
    page.fill("textarea[name=comment-impact]", "Evidence from two pilots.")
    page.fill("textarea[name=comment]", "A strong, replicable project.")
    page.click("button[name=draft]")
    expect(page.locator(".badge", has_text="draft saved")).to_be_visible()
    page.click("button[name=submit]")
    expect(page.locator(".progress").first).to_have_text("1 of 2 done")
    assert Score.objects.get(assignment=first, criterion__code="impact").comment == (
        "Evidence from two pilots."
    )
    # The second review, submitted directly.
    page.goto(f"{live_server.url}/prize/reviews/{second.pk}/")
    for code in CODES:
        page.select_option(f"select[name={code}]", "3")
    page.click("button[name=submit]")
    expect(page.locator(".progress").first).to_have_text("2 of 2 done")

    staff = _page(browser, live_server, client, staff_user)
    staff.goto(f"{live_server.url}/prize/2026/rounds/1/close/")
    expect(staff.get_by_text("Every application of the round has all its reviews.")).to_be_visible()
    staff.on("dialog", lambda dialog: dialog.accept())  # closing and publishing ask first
    staff.get_by_role("button", name="Close Round 1").click()
    expect(staff.get_by_text("Round 1 closed")).to_be_visible()
    staff.click("button[value=allocate_awards]")
    staff.check("input[name=confirm]")
    staff.click("button[value=publish]")
    expect(staff.get_by_text("Results published.")).to_be_visible()
    assert Award.objects.get().application == apps[0]
    public = browser.new_context().new_page()
    public.goto(f"{live_server.url}/prize/2026/")
    expect(public.get_by_text(apps[0].title)).to_be_visible()
