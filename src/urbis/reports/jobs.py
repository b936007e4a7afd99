"""The activity report as a background job: built from the data, rendered to PDF by the task
worker, offered for download from the job's page (see `urbis.common.jobs`)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from urbis.common.jobs import JobOutcome, JobProgress, job_enqueue, job_runner
from urbis.common.languages import language_clean
from urbis.common.models import Job
from urbis.governance.models import Meeting
from urbis.reports import render
from urbis.reports.assembly import ReportError, build

# The stages `build` announces, then the PDF: the job's progress counts them.
STEPS = 6


@job_runner("reports.build", resumable=True)
def report_build(
    *, job: Any, progress: JobProgress, number: int, language: str = "en"
) -> JobOutcome:
    done = 0

    def say(message: str) -> None:
        nonlocal done
        progress.stage(message[:1].upper() + message[1:], total=STEPS, done=done)
        done += 1

    with translation.override(language):
        try:
            report = build(number, progress=say)
        except ReportError as exc:
            raise ValidationError(str(exc)) from exc
        progress.stage("Rendering the PDF", total=STEPS, done=STEPS - 1)
        data = render.pdf(report)
    return JobOutcome(
        summary=f"{report.meeting.title}: activity report, {len(data) // 1024} KB.",
        result_url=reverse("reports:html", args=[number]),
        output=data,
        output_name=f"activity-report-ga{number}{'' if language == 'en' else '-' + language}.pdf",
        output_type="application/pdf",
    )


def report_build_enqueue(*, actor: Any, number: int, language: str = "en") -> Job:
    """Queue the build of the `number`th General Assembly's report, in `language` (English,
    the record, unless another is chosen); ValidationError when there is no such assembly
    or language (checked now, so the user hears it at once)."""
    code = language_clean(language)
    meeting = Meeting.objects.filter(body="ga", number=number).first()
    if meeting is None:
        raise ValidationError({"assembly": f"There is no General Assembly number {number}."})
    params: dict[str, Any] = {"number": number}
    title = f"Activity report: {meeting.title}"
    if code != "en":
        params["language"] = code
        title += f" ({code})"
    return job_enqueue(actor=actor, kind="reports.build", title=title, params=params)
