"""The activity report pages: the report as HTML, as PDF, and the staff build page.

The build page builds the PDF in the request (no task backend is installed: see
docs/reports.md), keeps it in the cache for an hour and offers the download.
"""

from __future__ import annotations

import secrets
import time

from django.contrib.auth.decorators import user_passes_test
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from urbis.common.roles import is_secretariat
from urbis.governance.models import Meeting
from urbis.reports import render as report_render
from urbis.reports.assembly import ActivityReport, ReportError, build

CACHE_SECONDS = 3600


def _build(number: int) -> ActivityReport:
    try:
        return build(number)
    except ReportError as exc:
        raise Http404(str(exc)) from exc


def report_html(request: HttpRequest, number: int) -> HttpResponse:
    report = _build(number)
    return HttpResponse(
        report_render.html(report, request=request, can_build=is_secretariat(request.user))
    )


def _pdf_response(data: bytes, number: int) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="activity-report-ga{number}.pdf"'
    return response


def report_pdf(request: HttpRequest, number: int) -> HttpResponse:
    return _pdf_response(report_render.pdf(_build(number)), number)


@user_passes_test(is_secretariat)
def build_page(request: HttpRequest) -> HttpResponse:
    assemblies = Meeting.objects.filter(body="ga", number__isnull=False).order_by("-number")
    return render(request, "reports/build.html", {"assemblies": assemblies})


@require_POST
@user_passes_test(is_secretariat)
def build_run(request: HttpRequest) -> HttpResponse:
    try:
        number = int(request.POST.get("assembly", ""))
    except ValueError:
        return render(request, "reports/_build_result.html", {"error": "assembly: pick one."})
    started = time.perf_counter()
    try:
        data = report_render.pdf(build(number))
    except ReportError as exc:
        return render(request, "reports/_build_result.html", {"error": str(exc)})
    token = secrets.token_urlsafe(12)
    cache.set(f"reports:pdf:{token}", (number, data), CACHE_SECONDS)
    context = {
        "number": number,
        "token": token,
        "seconds": time.perf_counter() - started,
        "size_kb": len(data) // 1024,
    }
    return render(request, "reports/_build_result.html", context)


@user_passes_test(is_secretariat)
def build_download(request: HttpRequest, token: str) -> HttpResponse:
    hit = cache.get(f"reports:pdf:{token}")
    if hit is None:
        raise Http404("This build has expired: build the report again.")
    number, data = hit
    return _pdf_response(data, number)
