"""REST endpoints of the long jobs: their state and progress, and the file a job made.

Jobs are started by the apps' own endpoints (a report build, an index computation), which
answer 202 with the job; a client then polls `GET /jobs/{id}` until it is finished.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import django_auth

from urbis.common import queries, views
from urbis.common.models import Job
from urbis.common.pagination import BoundedPageNumberPagination

router = Router(tags=["jobs"])


class JobOut(Schema):
    id: uuid.UUID
    kind: str
    title: str
    state: str
    stage: str
    done: int
    total: int
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    summary: str
    error: str
    result_url: str
    download_url: str | None
    page_url: str

    @staticmethod
    def resolve_download_url(job: Job) -> str | None:
        has_file = job.state == Job.State.SUCCEEDED and bool(job.output_name)
        return reverse("api:job_output", args=[job.pk]) if has_file else None

    @staticmethod
    def resolve_page_url(job: Job) -> str:
        return reverse("common:job_detail", args=[job.pk])


@router.get("", response=list[JobOut], auth=django_auth)
@paginate(BoundedPageNumberPagination, page_size=50)
def jobs(request, state: str | None = None):  # type: ignore[no-untyped-def]
    """The jobs you may see, newest first (all of them for the secretariat)."""
    qs = queries.jobs_for(request.user)
    if state:
        if state not in Job.State.values:
            raise HttpError(422, f"state: one of {', '.join(Job.State.values)}, not '{state}'.")
        qs = qs.filter(state=state)
    return qs


@router.get("/{job_id}", response=JobOut, auth=django_auth)
def job(request, job_id: uuid.UUID):  # type: ignore[no-untyped-def]
    return get_object_or_404(queries.jobs_for(request.user), pk=job_id)


@router.get("/{job_id}/output", auth=django_auth, url_name="job_output")
def job_output(request, job_id: uuid.UUID):  # type: ignore[no-untyped-def]
    """The file a finished job made (a PDF, a spreadsheet …)."""
    return views.job_download(request, job_id=job_id)
