"""REST endpoints of reports: the highlights of an assembly with the definition of each count,
and the build of its activity report as a background job."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth

from urbis.common.api import JobOut
from urbis.common.roles import is_secretariat
from urbis.reports.assembly import ReportError, highlights_of
from urbis.reports.jobs import report_build_enqueue

router = Router(tags=["reports"])


class FigureOut(Schema):
    key: str
    label: str
    value: int | str
    definition: str


@router.get("/assemblies/{number}/highlights", response=list[FigureOut])
def highlights(request, number: int):  # type: ignore[no-untyped-def]
    """The highlights of the activity report of the `number`th General Assembly."""
    try:
        return highlights_of(number)
    except ReportError as exc:
        raise HttpError(404, str(exc)) from exc


@router.post("/assemblies/{number}/builds", response={202: JobOut}, auth=django_auth)
def build(request, number: int):  # type: ignore[no-untyped-def]
    """Queue a build of the activity report (HTML data and PDF) for the task worker; poll
    the job (`GET /api/v1/jobs/{id}`) and download the PDF from its `download_url`."""
    if not is_secretariat(request.user):
        raise HttpError(403, "You may not do this.")
    try:
        return Status(202, report_build_enqueue(actor=request.user, number=number))
    except ValidationError as exc:
        raise HttpError(404, "; ".join(exc.messages)) from exc
