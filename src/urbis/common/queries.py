"""Reads of the common app: the long jobs a user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from urbis.common.models import Job
from urbis.common.roles import is_secretariat


def jobs_for(user: Any) -> QuerySet[Job]:
    """The jobs a user may see, newest first, without their (possibly large) output."""
    qs = Job.objects.select_related("requested_by").defer("output")
    if is_secretariat(user):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.filter(requested_by=user)


def job_output(user: Any, job_id: Any) -> tuple[bytes, str, str] | None:
    """(bytes, file name, content type) of a finished job's file that `user` may see, or
    None (no such job for this user, or no file yet)."""
    row = (
        jobs_for(user)
        .filter(pk=job_id, state=Job.State.SUCCEEDED, output__isnull=False)
        .values_list("output", "output_name", "output_type")
        .first()
    )
    if row is None or row[0] is None:
        return None
    return bytes(row[0]), row[1], row[2]
