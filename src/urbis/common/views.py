"""Pages of the common app: the sign-in lockout page (django-axes) and the long jobs."""

from __future__ import annotations

import uuid
from typing import Any

from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from urbis.common import queries
from urbis.common.lockout import address_failures
from urbis.common.models import Job


def locked_out(
    request: HttpRequest, original_response: Any = None, credentials: dict | None = None
) -> HttpResponse:
    """Shown instead of the sign-in form once too many attempts failed (AXES_LOCKOUT_CALLABLE)."""
    cool_off = get_cool_off(request)
    minutes = int(cool_off.total_seconds() // 60) if cool_off else None
    ip = getattr(request, "axes_ip_address", None)
    by_address = address_failures(ip, request) >= settings.URBIS_LOGIN_ADDRESS_LIMIT
    context = {
        "failure_limit": (
            settings.URBIS_LOGIN_ADDRESS_LIMIT
            if by_address
            else get_failure_limit(request, credentials)
        ),
        "by_address": by_address,
        "minutes": minutes,
    }
    return render(
        request,
        "registration/locked_out.html",
        context,
        status=getattr(settings, "AXES_HTTP_RESPONSE_CODE", 429),
    )


JOBS_PAGE_SIZE = 25


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    """Long jobs, newest first: all of them for the secretariat, one's own for others."""
    qs = queries.jobs_for(request.user)
    state = request.GET.get("state", "")
    if state in Job.State.values:
        qs = qs.filter(state=state)
    page = Paginator(qs, JOBS_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "state": state, "states": Job.State.values}
    return render(request, "common/job_list.html", context)


@login_required
def job_detail(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """A job's page; while it runs, htmx asks for the status card again every second."""
    job = get_object_or_404(queries.jobs_for(request.user), pk=job_id)
    partial = getattr(request, "htmx", False)
    template = "common/_job_status.html" if partial else "common/job_detail.html"
    return render(request, template, {"job": job})


@login_required
def job_download(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    found = queries.job_output(request.user, job_id)
    if found is None:
        raise Http404("No such job, or it has no file to download (yet).")
    data, name, content_type = found
    response = HttpResponse(data, content_type=content_type or "application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{name or "output"}"'
    return response
