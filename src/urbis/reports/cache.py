"""Published report PDFs and pages served from a cache keyed on the data they depend on.

Rendering the activity report takes seconds (5.8 s for the 6th Assembly); a public URL that
rendered on every request would let a few anonymous clients stall the server. So a PDF is
rendered only by the task worker (`reports.refresh` job) and kept in the cache under the
version of the data it was built from. The version is the id of the newest audit record
(every write of the domain leaves one; the job's own records are left out), so any change to
the registry, the events, the governance records or the prize makes a new version.

The report's page is kept the same way for anonymous visitors: the job renders its body
(the report without the site around it, `render.page_body`) before the PDF, and the view
puts it in the site's page. Signed-in users get it rendered for them (a staff member sees
the build link; accounts answer for their requests).

The published PDF is in English, the record of the Assembly; a reader may ask for it in
another language of the interface (`?lang=`), which is kept the same way under its own key
and built by its own job (the page for anonymous visitors stays English).

A request finds the document of the current version, or else queues its build (once per
version) and is served the newest older one meanwhile, or, when there is none yet, a 503
with Retry-After. No anonymous request renders a report.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db.models import Max
from django.utils import translation

from urbis.common.jobs import JobOutcome, JobProgress, job_enqueue, job_runner
from urbis.common.models import AuditRecord
from urbis.reports import render
from urbis.reports.assembly import ReportError, build

TIMEOUT = 30 * 24 * 3600
PENDING_SECONDS = 15 * 60  # a build queued for a version is not queued again before this


def data_version() -> int:
    """The newest audit record's id, the jobs' own records left out."""
    newest = AuditRecord.objects.exclude(action__startswith="job.").aggregate(n=Max("id"))["n"]
    return int(newest or 0)


def _key(number: int, version: int | str, kind: str = "pdf") -> str:
    return f"reports:{kind}:{number}:{version}"


def _pdf_kind(language: str) -> str:
    return "pdf" if language == "en" else f"pdf-{language}"


def cached_pdf(number: int, language: str = "en") -> tuple[bytes | None, bool]:
    """(the PDF in `language`, whether it is of the current data). Queues a build when it
    is not; `b""` when there is no report for that assembly."""
    return _cached(number, _pdf_kind(language), language)


def cached_page(number: int) -> tuple[dict[str, str] | str | None, bool]:
    """({"title", "body"} of the report's page, whether it is of the current data), as
    `cached_pdf`; `""` when there is no report for that assembly."""
    return _cached(number, "page")


def _cached(number: int, kind: str, language: str = "en") -> tuple[Any, bool]:
    version = data_version()
    current = cache.get(_key(number, version, kind))
    if current is not None:
        return current, True
    pending = f"reports:pending:{number}:{version}"
    if language != "en":
        pending += f":{language}"
    if cache.add(pending, 1, PENDING_SECONDS):
        params: dict[str, Any] = {"number": number, "version": version}
        title = f"Published PDF of assembly {number}"
        if language != "en":
            params["language"] = language
            title += f" ({language})"
        job_enqueue(actor=None, kind="reports.refresh", title=title, params=params)
    return cache.get(_key(number, "latest", kind)), False


@job_runner("reports.refresh", resumable=True)
def report_refresh(
    *, job: Any, progress: JobProgress, number: int, version: int, language: str = "en"
) -> JobOutcome:
    """Render the page and the PDF for `version` of the data and keep them (and as the
    newest ones); the page first, as it is ready long before the PDF. In another language
    than English, only the PDF (the page follows its reader's language when signed in)."""
    kind = _pdf_kind(language)
    progress.stage("Building the report", total=2, done=0)
    with translation.override(language):
        try:
            report = build(number)
        except ReportError:  # no such report: remembered too
            missing: dict[str, Any] = {_key(number, version, kind): b""}
            if language == "en":
                missing[_key(number, version, "page")] = ""
            cache.set_many(missing, TIMEOUT)
            return JobOutcome(summary=f"No report for assembly {number}.")
        if language == "en":
            page = render.page_body(report)
            cache.set_many(
                {_key(number, version, "page"): page, _key(number, "latest", "page"): page},
                TIMEOUT,
            )
        progress.stage("Rendering the PDF", total=2, done=1)
        data = render.pdf(report)
    cache.set_many({_key(number, version, kind): data, _key(number, "latest", kind): data}, TIMEOUT)
    suffix = "" if language == "en" else f" ({language})"
    return JobOutcome(summary=f"Assembly {number}: published PDF{suffix}, {len(data) // 1024} KB.")
