"""The activity report pages: the report as HTML, as PDF, and the staff build page.

The build page queues the build for the task worker (`reports.jobs`); the job's page
follows its progress and offers the PDF, from any process, for as long as the job is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from urbis.common.languages import document_language
from urbis.common.ratelimit import anonymous_rate_limit
from urbis.common.roles import is_secretariat
from urbis.governance.models import Meeting
from urbis.reports import render as report_render
from urbis.reports.assembly import ActivityReport, ReportError, build
from urbis.reports.cache import cached_page, cached_pdf
from urbis.reports.jobs import report_build_enqueue


def _build(number: int) -> ActivityReport:
    try:
        return build(number)
    except ReportError as exc:
        raise Http404(str(exc)) from exc


def _preparing() -> HttpResponse:
    response = HttpResponse(
        "The report is being prepared; try again in a minute.",
        status=503,
        content_type="text/plain",
    )
    response["Retry-After"] = "30"
    return response


@anonymous_rate_limit("reports")
def report_html(request: HttpRequest, number: int) -> HttpResponse:
    """Signed in: rendered for the user. Anonymous: the published page from the cache
    (`reports.cache`), never rendered here; 503 while the first one is being built, the
    previous one after a change until the new one is ready (`X-Urbis-Stale: 1`)."""
    if request.user.is_authenticated:
        report = _build(number)
        return HttpResponse(
            report_render.html(report, request=request, can_build=is_secretariat(request.user))
        )
    if not Meeting.objects.filter(body="ga", number=number).exists():
        raise Http404(f"There is no General Assembly number {number}.")
    page, current = cached_page(number)
    if page == "":
        raise Http404(f"There is no activity report for assembly {number}.")
    if not isinstance(page, dict):
        return _preparing()
    context = {"title": page["title"], "body": mark_safe(page["body"])}
    response = render(request, "reports/cached_page.html", context)
    if not current:
        response["X-Urbis-Stale"] = "1"
    return response


def _pdf_response(data: bytes, number: int, language: str = "en") -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    suffix = "" if language == "en" else f"-{language}"
    name = f"activity-report-ga{number}{suffix}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@anonymous_rate_limit("reports")
def report_pdf(request: HttpRequest, number: int) -> HttpResponse:
    """The published PDF from the cache (`reports.cache`): never rendered here. In English,
    the record, unless `?lang=` names another language. While the first one is being
    built, 503 with Retry-After; after a change, the previous one until the new one is ready
    (`X-Urbis-Stale: 1`)."""
    try:
        language = document_language(request.GET.get("lang"))
    except ValidationError as exc:
        return HttpResponseBadRequest(f"lang: {' '.join(exc.messages)}", content_type="text/plain")
    if not Meeting.objects.filter(body="ga", number=number).exists():
        raise Http404(f"There is no General Assembly number {number}.")
    data, current = cached_pdf(number, language)
    if data == b"":
        raise Http404(f"There is no activity report for assembly {number}.")
    if data is None:
        return _preparing()
    response = _pdf_response(data, number, language)
    if not current:
        response["X-Urbis-Stale"] = "1"
    return response


def _secretariat_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The sign-in page for an anonymous visitor; 403 ("not allowed") for anyone signed in
    without the secretariat role, never the sign-in page again."""

    @wraps(view)
    def page(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_secretariat(request.user):
            raise PermissionDenied("Building reports is the secretariat's.")
        return view(request, *args, **kwargs)

    return page


@_secretariat_page
def build_page(request: HttpRequest) -> HttpResponse:
    assemblies = Meeting.objects.filter(body="ga", number__isnull=False).order_by("-number")
    languages = [(code, str(name)) for code, name in settings.LANGUAGES]
    return render(request, "reports/build.html", {"assemblies": assemblies, "languages": languages})


@require_POST
@_secretariat_page
def build_run(request: HttpRequest) -> HttpResponse:
    """Queue the build for the task worker; the answer links to the job's page (a card that
    follows its progress, for htmx), or redirects to it."""
    try:
        number = int(request.POST.get("assembly", ""))
    except ValueError:
        return render(request, "reports/_build_result.html", {"error": "assembly: pick one."})
    try:
        job = report_build_enqueue(
            actor=request.user, number=number, language=request.POST.get("language") or "en"
        )
    except ValidationError as exc:
        return render(request, "reports/_build_result.html", {"error": "; ".join(exc.messages)})
    if not getattr(request, "htmx", False):
        return redirect("common:job_detail", job_id=job.pk)
    return render(request, "reports/_build_result.html", {"job": job})
