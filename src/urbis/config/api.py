"""The REST API (django-ninja) under /api/v1/, with OpenAPI docs at /api/v1/docs.

Each app contributes a router from its own `api.py`; handlers parse, call one domain or
query function, and serialise.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import NinjaAPI

from urbis.common.api import router as jobs_router
from urbis.events.api import router as events_router
from urbis.governance.api import router as governance_router
from urbis.index.api import router as index_router
from urbis.members.api import router as members_router
from urbis.prize.api import router as prize_router
from urbis.reports.api import router as reports_router

api = NinjaAPI(
    title="urbis API",
    version="1",
    description="The secretariat platform of an international network of smart cities.",
    urls_namespace="api",
)


# Domain errors: a ValidationError names its fields (422), a refusal is a 403.
@api.exception_handler(ValidationError)
def validation_error(request, exc):  # type: ignore[no-untyped-def]
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"errors": errors}, status=422)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):  # type: ignore[no-untyped-def]
    return api.create_response(request, {"detail": str(exc) or "Permission denied."}, status=403)


api.add_router("/members", members_router)
api.add_router("/governance", governance_router)
api.add_router("/dues", "urbis.members.api_dues.router")
api.add_router("/index", index_router)
api.add_router("/events", events_router)
api.add_router("/prize", prize_router)
api.add_router("/reports", reports_router)
api.add_router("/jobs", jobs_router)
api.add_router("/messaging", "urbis.messaging.api.router")
