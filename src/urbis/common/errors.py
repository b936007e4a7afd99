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
from ninja import Schema
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
