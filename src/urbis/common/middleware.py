"""Request guards: refuse oversized bodies and NUL characters in text before any view runs;
answer 503 while the database is unreachable.

Django caps form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but not uploaded files: a view that
reads an upload whole would read any size. Every upload here is an import file, capped by
URBIS_MAX_IMPORT_BYTES; a body larger than that plus room for the form's other fields is
refused with 413 whatever the view.

A NUL character in the path, a query string, a form or a JSON body is refused with 400: PostgreSQL
cannot store or compare it (a 500 there), SQLite would store it. So is a lone UTF-16
surrogate (`"\ud800"` in JSON): no database can encode it. The body is checked whatever its
declared content type, because django-ninja parses JSON from a body sent as `text/plain` or
with no type at all. Uploaded files (multipart) are left to their importers, which report
it per row.

While the database is unreachable (a restart, a failover), a view's OperationalError would be
a 500 with a traceback in the log; `DatabaseUnavailableMiddleware` answers 503 with
Retry-After instead, which tells clients (and proxies) to try again rather than give up.

`UserLanguageMiddleware` speaks a signed-in user's saved language (`common.languages`) in a
browser that chose none itself, and makes it this browser's choice when they sign in.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation

from urbis.common.errors import error_body
from urbis.common.languages import SIGNED_IN_ATTRIBUTE, language_codes, session_language

logger = logging.getLogger(__name__)

FORM_OVERHEAD = 64 * 1024
FORM_BODY = "application/x-www-form-urlencoded"
NUL_MESSAGE = "The request contains a NUL character."
TEXT_MESSAGE = "The request contains a NUL character or a lone surrogate (invalid Unicode)."
DB_UNAVAILABLE = "The database is unavailable; try again in a moment."
RETRY_AFTER_SECONDS = 5


_ESCAPES = re.compile(rb"\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})")


def _unstorable(value: Any) -> bool:
    """True if a parsed JSON value holds a NUL or a lone surrogate anywhere."""
    if isinstance(value, str):
        if "\x00" in value:
            return True
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(_unstorable(k) or _unstorable(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_unstorable(v) for v in value)
    return False


def _bad_text(request: HttpRequest) -> str:
    """Why the request cannot be stored ("" if it can)."""
    query = request.META.get("QUERY_STRING", "")
    if "%00" in query or "\x00" in query or "\x00" in request.path_info:
        return NUL_MESSAGE
    content_type = request.META.get("CONTENT_TYPE", "")
    if content_type.startswith("multipart/"):
        return ""
    body = request.body
    if b"\x00" in body:
        return NUL_MESSAGE
    if content_type.startswith(FORM_BODY) and b"%00" in body:
        return NUL_MESSAGE
    if _ESCAPES.search(body):
        # Only JSON can spell these characters as escapes: parse it and look.
        try:
            parsed = json.loads(body)
        except ValueError:
            return ""  # not JSON: the view refuses it as it would anyway
        if _unstorable(parsed):
            return TEXT_MESSAGE
    return ""


def _refusal(request: HttpRequest, message: str, status: int) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(error_body(message), status=status)
    return HttpResponse(message, status=status, content_type="text/plain")


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
            message = f"The request has {length:,} bytes, more than the limit of {limit:,} bytes."
            return _refusal(request, message, 413)
        problem = _bad_text(request)
        if problem:
            return _refusal(request, problem, 400)
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
            response = JsonResponse(error_body(DB_UNAVAILABLE), status=503)
        else:
            response = HttpResponse(
                f"<!doctype html><title>Unavailable</title><p>{DB_UNAVAILABLE}</p>",
                status=503,
                content_type="text/html; charset=utf-8",
            )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


def language_cookie_set(response: HttpResponse, code: str) -> None:
    """Store `code` as this browser's language choice, as Django's `set_language` does."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,  # type: ignore[arg-type]
    )


def _chosen_in_request(request: HttpRequest) -> bool:
    """Whether the request names its language itself: the language cookie (the switcher's
    choice, or the saved language set at sign-in) or a language prefix in the URL."""
    if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) in language_codes():
        return True
    prefixed, _ = is_language_prefix_patterns_used(settings.ROOT_URLCONF)
    return prefixed and translation.get_language_from_path(request.path_info) is not None


class UserLanguageMiddleware:
    """The signed-in user's saved language where the browser chose none (a new browser, a
    cleared cookie), and, on the answer to a sign-in, the saved language as this browser's
    choice (so it wins over what a visitor picked before signing in).

    Placed after AuthenticationMiddleware, inside LocaleMiddleware, which picked the
    cookie's or the browser's language before and labels the answer with the one active
    after (Content-Language). A request carrying the cookie costs nothing; one without reads
    the session, which the user's authentication loaded already (the profile is read once
    per session, `common.languages.session_language`).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _chosen_in_request(request):
            code = self._saved_language(request)
            if code:
                translation.activate(code)
                request.LANGUAGE_CODE = code
        response = self.get_response(request)
        signed_in = getattr(request, SIGNED_IN_ATTRIBUTE, "")
        if signed_in:
            language_cookie_set(response, signed_in)
        return response

    @staticmethod
    def _saved_language(request: HttpRequest) -> str:
        """The user's saved language, or '' — also while the database is unreachable: the
        session and the user are read here, outside any view, where a lost connection would
        be a 500; the view then meets the same error and `DatabaseUnavailableMiddleware`
        answers 503 as it should."""
        try:
            if not request.user.is_authenticated:
                return ""
            return session_language(request) or ""
        except (OperationalError, InterfaceError):
            return ""
