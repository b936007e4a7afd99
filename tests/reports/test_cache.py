"""Published PDFs: served from the cache keyed on the data's version, built by the worker,
never rendered by a request; anonymous document requests are rate limited."""

from __future__ import annotations

from unittest import mock

import pytest
from django.urls import reverse

from tests.factories.reports import synthetic_assembly
from urbis.common.audit import audit_record
from urbis.common.pdf import pdf_text
from urbis.reports import cache as report_cache

pytestmark = pytest.mark.django_db


@pytest.fixture
def assembly():
    return synthetic_assembly(number=9, year=2029, members=10, delegates=16)


def test_a_request_never_renders_and_a_data_change_rebuilds(client, assembly, run_jobs):
    url = reverse("reports:pdf", args=[9])
    with mock.patch("urbis.reports.render.pdf", side_effect=AssertionError("rendered")):
        assert client.get(url).status_code == 503
        assert client.get(url).status_code == 503  # queued once per version
    assert run_jobs() == 1
    with mock.patch("urbis.reports.render.pdf", side_effect=AssertionError("rendered")):
        fresh = client.get(url)
        assert fresh.status_code == 200
        assert "X-Urbis-Stale" not in fresh
        assert "Synthetic General Assembly 9" in pdf_text(fresh.content)
        # A write anywhere in the domain makes a new version: the old PDF is served, marked
        # stale, while the worker builds the new one.
        audit_record(actor=None, action="organisation.update", target=assembly.president)
        stale = client.get(url)
        assert (stale.status_code, stale["X-Urbis-Stale"]) == (200, "1")
        assert stale.content == fresh.content
    assert run_jobs() == 1
    assert "X-Urbis-Stale" not in client.get(url)


def test_an_anonymous_page_request_never_renders_the_report(client, assembly, run_jobs):
    url = reverse("reports:html", args=[9])
    never = mock.patch("urbis.reports.views._build", side_effect=AssertionError("built"))
    with never, mock.patch("urbis.reports.render.html", side_effect=AssertionError("rendered")):
        first = client.get(url)
        assert (first.status_code, first["Retry-After"]) == (503, "30")
    assert run_jobs() == 1  # one build for the page and the PDF
    with never, mock.patch("urbis.reports.render.html", side_effect=AssertionError("rendered")):
        fresh = client.get(url)
        body = fresh.content.decode()
        assert (fresh.status_code, "X-Urbis-Stale" in fresh) == (200, False)
        assert "<title>Activity report · Synthetic General Assembly 9" in body
        assert 'class="topbar"' in body and reverse("reports:pdf", args=[9]) in body
        assert reverse("reports:build") not in body
        audit_record(actor=None, action="organisation.update", target=assembly.president)
        stale = client.get(url)
        assert (stale.status_code, stale["X-Urbis-Stale"]) == (200, "1")
        assert client.get(reverse("reports:pdf", args=[9]))["X-Urbis-Stale"] == "1"
    assert run_jobs() == 1  # the page and the PDF queued the one build
    assert "X-Urbis-Stale" not in client.get(url)


def test_a_signed_in_page_is_rendered_for_its_user(client, assembly, staff_user):
    client.force_login(staff_user)
    response = client.get(reverse("reports:html", args=[9]))
    assert response.status_code == 200
    assert reverse("reports:build") in response.content.decode()


def test_job_records_do_not_change_the_version(assembly, staff_user):
    before = report_cache.data_version()
    audit_record(actor=staff_user, action="job.enqueue", target=assembly.president)
    assert report_cache.data_version() == before


def test_unknown_assembly_is_404_without_queueing(client, db, run_jobs):
    assert client.get(reverse("reports:pdf", args=[42])).status_code == 404
    assert run_jobs() == 0


def test_anonymous_document_requests_are_rate_limited(client, assembly, settings, staff_user):
    settings.URBIS_ANONYMOUS_DOCUMENTS_PER_MINUTE = 3
    url = reverse("reports:pdf", args=[9])
    statuses = [client.get(url, REMOTE_ADDR="198.51.100.7").status_code for _ in range(4)]
    assert statuses == [503, 503, 503, 429]
    assert client.get(url, REMOTE_ADDR="198.51.100.8").status_code == 503  # another address
    client.force_login(staff_user)
    assert client.get(url, REMOTE_ADDR="198.51.100.7").status_code == 503  # signed in
