"""The REST API (django-ninja) under /api/v1/, with OpenAPI docs at /api/v1/docs.

Each app contributes a router from its own `api.py`; handlers parse, call one domain or
query function, and serialise.
"""

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError

from urbis.common.api import router as jobs_router
from urbis.common.api_tokens import router as account_router
from urbis.common.errors import NON_FIELD, Conflict, ErrorContractAPI, error_body, summary
from urbis.events.api import router as events_router
from urbis.governance.api import router as governance_router
from urbis.index.api import router as index_router
from urbis.members.api import router as members_router
from urbis.prize.api import router as prize_router
from urbis.reports.api import router as reports_router

# ErrorContractAPI: every operation's OpenAPI entry also declares the shared error answers
# (400, 401, 403, 404, 409, 422, 503, and 413 with a body), each as ErrorOut.
api = ErrorContractAPI(
    title="urbis API",
    version="1",
    description="The secretariat platform of an international network of smart cities.",
    urls_namespace="api",
)


# One error body for every app (`urbis.common.errors.ErrorOut`): django-ninja's input
# validation, the domain's ValidationError (422) and Conflict (409), refusals (403), missing
# objects (404) and authentication (401) all answer {"detail": ..., "errors": {...}}.
def _field_errors(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {field: list(messages) for field, messages in exc.message_dict.items()}
    return {NON_FIELD: list(exc.messages)}


def _error(request, status: int, detail: str, errors=None):  # type: ignore[no-untyped-def]
    return api.create_response(request, error_body(detail, errors), status=status)


@api.exception_handler(NinjaValidationError)
def input_invalid(request, exc):  # type: ignore[no-untyped-def]
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", ())]
        # ("body", "payload", "name") -> "name"; ("query", "year") -> "year"
        parts = loc[2:] if len(loc) > 2 and loc[0] == "body" else loc[1:] or loc
        errors.setdefault(".".join(parts) or NON_FIELD, []).append(str(error.get("msg", "")))
    return _error(request, 422, summary(errors), errors)


@api.exception_handler(Conflict)
def conflict(request, exc):  # type: ignore[no-untyped-def]
    errors = _field_errors(exc)
    return _error(request, 409, summary(errors), errors)


@api.exception_handler(ValidationError)
def validation_error(request, exc):  # type: ignore[no-untyped-def]
    errors = _field_errors(exc)
    return _error(request, 422, summary(errors), errors)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):  # type: ignore[no-untyped-def]
    return _error(request, 403, str(exc) or "Permission denied.")


@api.exception_handler(Http404)
def not_found(request, exc):  # type: ignore[no-untyped-def]
    return _error(request, 404, str(exc) or "Not found.")


@api.exception_handler(ObjectDoesNotExist)
def object_not_found(request, exc):  # type: ignore[no-untyped-def]
    return _error(request, 404, str(exc) or "Not found.")


@api.exception_handler(AuthenticationError)
def unauthorized(request, exc):  # type: ignore[no-untyped-def]
    return _error(request, 401, "Unauthorized")


api.add_router("/members", members_router)
api.add_router("/governance", governance_router)
api.add_router("/dues", "urbis.dues.api.router")
api.add_router("/index", index_router)
api.add_router("/events", events_router)
api.add_router("/events", "urbis.events.api_programme.router")
api.add_router("/venues", "urbis.events.api_programme.venues_router")
api.add_router("/prize", prize_router)
api.add_router("/reports", reports_router)
api.add_router("/jobs", jobs_router)
api.add_router("/account", account_router)
api.add_router("/messaging", "urbis.messaging.api.router")
