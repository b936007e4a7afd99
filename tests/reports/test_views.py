"""The report pages, the staff build page, the API endpoint and the command."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.factories.reports import synthetic_assembly
from urbis.common.models import Job
from urbis.common.pdf import pdf_text
from urbis.reports.assembly import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def assembly():
    return synthetic_assembly(number=9, year=2029, members=10, delegates=16)


def test_html_page_extends_the_site_and_links_the_pdf(
    client, assembly, run_jobs, django_assert_max_num_queries
):
    assert client.get(reverse("reports:html", args=[9])).status_code == 503  # being built
    assert run_jobs() == 1
    with django_assert_max_num_queries(20):  # anonymous: from the cache
        response = client.get(reverse("reports:html", args=[9]))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="topbar"' in body
    assert reverse("reports:pdf", args=[9]) in body
    assert "Synthetic General Assembly 9" in body


def test_pdf_download(client, assembly, run_jobs):
    url = reverse("reports:pdf", args=[9])
    first = client.get(url)  # never rendered by a request: the worker builds it
    assert (first.status_code, first["Retry-After"]) == (503, "30")
    assert run_jobs() == 1
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "Synthetic General Assembly 9" in pdf_text(response.content)


def test_unknown_assembly_is_404(client, db, staff_user):
    assert client.get(reverse("reports:html", args=[42])).status_code == 404
    client.force_login(staff_user)
    assert client.get(reverse("reports:html", args=[42])).status_code == 404


def test_build_page_lists_assemblies_in_few_queries(
    client, staff_user, assembly, django_assert_max_num_queries
):
    client.force_login(staff_user)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("reports:build"))
    assert response.status_code == 200
    assert reverse("reports:html", args=[9]) in response.content.decode()


def test_build_page_is_for_staff(client, focal_point, assembly):
    """Signed in without the role: "not allowed" (403), not the sign-in page again."""
    client.force_login(focal_point[0])
    assert client.get(reverse("reports:build")).status_code == 403
    assert client.post(reverse("reports:build_run"), {"assembly": "9"}).status_code == 403


def test_staff_queues_the_build_and_downloads_the_pdf_from_the_job(
    client, staff_user, assembly, run_jobs
):
    client.force_login(staff_user)
    page = client.get(reverse("reports:build"))
    assert "Synthetic General Assembly 9" in page.content.decode()
    result = client.post(reverse("reports:build_run"), {"assembly": "9"}, HTTP_HX_REQUEST="true")
    body = result.content.decode()
    job = Job.objects.get()
    assert (job.kind, job.params, job.state) == ("reports.build", {"number": 9}, "queued")
    assert "Waiting for the task worker" in body and 'hx-trigger="every 1s"' in body
    assert run_jobs() == 1
    job.refresh_from_db()
    assert (job.state, job.stage, job.done, job.total) == ("succeeded", "Rendering the PDF", 5, 6)
    card = client.get(reverse("common:job_detail", args=[job.pk]), HTTP_HX_REQUEST="true")
    link = reverse("common:job_download", args=[job.pk])
    assert link in card.content.decode()
    download = client.get(link)
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="activity-report-ga9.pdf"'
    assert "Synthetic General Assembly 9" in pdf_text(download.content)


def test_build_without_htmx_redirects_to_the_job_page(client, staff_user, assembly):
    client.force_login(staff_user)
    response = client.post(reverse("reports:build_run"), {"assembly": "9"})
    assert response.status_code == 302
    assert response["Location"] == reverse("common:job_detail", args=[Job.objects.get().pk])


def test_api_queues_a_build(client, staff_user, focal_point, assembly, run_jobs):
    client.force_login(focal_point[0])
    assert client.post("/api/v1/reports/assemblies/9/builds").status_code == 403
    client.force_login(staff_user)
    assert client.post("/api/v1/reports/assemblies/42/builds").json() == {
        "detail": "There is no General Assembly number 42."
    }
    response = client.post("/api/v1/reports/assemblies/9/builds")
    assert response.status_code == 202
    job = response.json()
    assert (job["kind"], job["state"], job["download_url"]) == ("reports.build", "queued", None)
    run_jobs()
    done = client.get(f"/api/v1/jobs/{job['id']}").json()
    assert done["state"] == "succeeded"
    assert "Synthetic General Assembly 9" in pdf_text(client.get(done["download_url"]).content)


def test_build_of_unknown_assembly_says_so(client, staff_user, db):
    client.force_login(staff_user)
    body = client.post(reverse("reports:build_run"), {"assembly": "42"}).content.decode()
    assert "no General Assembly number 42" in body
    assert not Job.objects.exists()


def test_api_highlights_with_definitions(client, assembly):
    response = client.get("/api/v1/reports/assemblies/9/highlights")
    assert response.status_code == 200
    rows = {r["key"]: r for r in response.json()}
    assert rows["cities"]["value"] == 10
    assert rows["quorum_present"]["value"] == assembly.present
    assert all(r["definition"] for r in rows.values())
    full = build(9).highlights  # the API's figures are the report's
    assert [(f.key, f.value, f.definition) for f in full] == [
        (r["key"], r["value"], r["definition"]) for r in response.json()
    ]
    assert client.get("/api/v1/reports/assemblies/42/highlights").status_code == 404


def test_command_writes_pdf_and_html(tmp_path, assembly):
    out = io.StringIO()
    pdf, html = tmp_path / "r.pdf", tmp_path / "r.html"
    call_command("report", "--assembly", "9", "--pdf", str(pdf), "--html", str(html), stdout=out)
    assert "Synthetic General Assembly 9" in pdf_text(pdf.read_bytes())
    assert "<html" in html.read_text()
    assert "r.pdf" in out.getvalue()
    with pytest.raises(CommandError, match="no General Assembly number 42"):
        call_command("report", "--assembly", "42", "--pdf", str(pdf), stdout=out)
