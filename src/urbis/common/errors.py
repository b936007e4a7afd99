"""The API's one error body: `{"detail": "...", "errors": {"field": ["...", ...]}}`.

Every 400, 401, 403, 404, 409, 413, 422 and 503 the API answers has this shape, whatever the
app and whoever raised it (a handler, django-ninja's input validation, the request guards):
`detail` is a sentence for a person, `errors` (present when the input is at fault) names each
field with its messages; `__all__` holds what belongs to no one field. Clients read one shape;
the OpenAPI document declares it once (`ErrorOut`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from ninja import NinjaAPI, Schema
from pydantic import SerializerFunctionWrapHandler, model_serializer
from pydantic.json_schema import SkipJsonSchema

NON_FIELD = "__all__"


class Conflict(ValidationError):
    """The input is valid but collides with what exists (a duplicate, a concurrent write):
    a ValidationError, so forms show it on the field, and a 409 in the API."""


class ErrorOut(Schema):
    """An error answered by the API: `errors` is left out, never `null`, when no field is at
    fault, whether a central handler or an endpoint's `Status(code, {...})` wrote it."""

    detail: str
    errors: dict[str, list[str]] | SkipJsonSchema[None] = None  # optional, never null

    @model_serializer(mode="wrap")
    def _omit_empty_errors(self, handler: SerializerFunctionWrapHandler):  # type: ignore[no-untyped-def]
        body: dict[str, Any] = handler(self)
        if not body.get("errors"):
            body.pop("errors", None)
        return body


def error_body(detail: str, errors: Mapping[str, Iterable[str]] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"detail": detail}
    if errors:
        body["errors"] = {field: [str(m) for m in messages] for field, messages in errors.items()}
    return body


def summary(errors: Mapping[str, Iterable[str]]) -> str:
    """A one-line `detail` for field errors: `name: message; other: message`."""
    parts = []
    for field, messages in errors.items():
        text = "; ".join(str(m) for m in messages)
        parts.append(text if field == NON_FIELD else f"{field}: {text}")
    return "; ".join(parts) or "The input is invalid."


def ERROR_RESPONSES(*codes: int) -> dict[int, type[ErrorOut]]:
    """`response={**ok, **ERROR_RESPONSES(404, 409)}`: the error codes an operation declares."""
    return dict.fromkeys(codes, ErrorOut)


# The error answers any operation may give, whatever it declares itself: the request guards
# (400 for a NUL or an unreadable body, 413 for an oversized one, 503 while the database is
# unreachable), authentication and permission (401, 403), a missing object (404), the
# domain's refusals (409, 422). Each is an `ErrorOut`.
SHARED_ERRORS: dict[int, str] = {
    400: "The request cannot be read (a NUL character, a lone surrogate, a malformed body).",
    401: "Not signed in, or the credentials are not valid.",
    403: "The caller may not do this.",
    404: "No such object, or one the caller may not see.",
    409: "The input collides with what exists (a duplicate, a concurrent write).",
    422: "The input is not valid; `errors` names each field.",
    503: "The database is unavailable; try again after Retry-After seconds.",
}
BODY_ERRORS: dict[int, str] = {413: "The request body is larger than the limit."}


class ErrorContractAPI(NinjaAPI):
    """A NinjaAPI whose OpenAPI document declares the shared error answers on every operation
    (`SHARED_ERRORS`, and `BODY_ERRORS` where the operation takes a body), each as
    `ErrorOut`; what an operation declares itself is kept."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.setdefault("ErrorOut", ErrorOut.model_json_schema(mode="serialization"))
        ref = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                declared = {str(code) for code in responses}
                shared = dict(SHARED_ERRORS)
                if "requestBody" in operation:
                    shared.update(BODY_ERRORS)
                for code, description in sorted(shared.items()):
                    if str(code) not in declared:
                        responses[code] = {"description": description, "content": ref}
        return schema
