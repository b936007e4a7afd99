"""Request guards: refuse oversized bodies and NUL characters in text before any view runs;
answer 503 while the database is unreachable.

Django caps form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but not uploaded files: a view that
reads an upload whole would read any size. Every upload here is an import file, capped by
URBIS_MAX_IMPORT_BYTES; a body larger than that plus room for the form's other fields is
refused with 413 whatever the view.

A NUL character in the path, a query string, a form or a JSON body is refused with 400: PostgreSQL
cannot store or compare it (a 500 there), SQLite would store it. Uploaded files (multipart)
are left to their importers, which report it per row.

While the database is unreachable (a restart, a failover), a view's OperationalError would be
a 500 with a traceback in the log; `DatabaseUnavailableMiddleware` answers 503 with
Retry-After instead, which tells clients (and proxies) to try again rather than give up.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse

logger = logging.getLogger(__name__)

FORM_OVERHEAD = 64 * 1024
TEXT_BODIES = ("application/json", "application/x-www-form-urlencoded")
DB_UNAVAILABLE = "The database is unavailable; try again in a moment."
RETRY_AFTER_SECONDS = 5


def _has_nul(request: HttpRequest) -> bool:
    query = request.META.get("QUERY_STRING", "")
    if "%00" in query or "\x00" in query or "\x00" in request.path_info:
        return True
    if request.META.get("CONTENT_TYPE", "").startswith(TEXT_BODIES):
        body = request.body
        return b"\x00" in body or b"%00" in body or b"\\u0000" in body
    return False


class RequestGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.URBIS_MAX_IMPORT_BYTES + FORM_OVERHEAD
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            return HttpResponse(
                f"The request has {length:,} bytes, more than the limit of {limit:,} bytes.",
                status=413,
                content_type="text/plain",
            )
        if _has_nul(request):
            return HttpResponse(
                "The request contains a NUL character.", status=400, content_type="text/plain"
            )
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """503 + Retry-After for a view that lost the database (OperationalError: cannot
    connect, connection cut by a restart; InterfaceError: connection already closed).

    Only exceptions raised by views (and django-ninja's authentication) arrive here;
    django-ninja re-raises them when DEBUG is off. The transaction open on the lost
    connection is rolled back with it, so a retry does not double it (a check-in retried
    after a commit whose answer was lost reports "already checked in").
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.warning("database unavailable on %s %s: %s", request.method, request.path, exception)
        response: HttpResponse
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": DB_UNAVAILABLE}, status=503)
        else:
            response = HttpResponse(
                f"<!doctype html><title>Unavailable</title><p>{DB_UNAVAILABLE}</p>",
                status=503,
                content_type="text/html; charset=utf-8",
            )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
