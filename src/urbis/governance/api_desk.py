"""The check-in and vote endpoints, answered without django-ninja when a desk key signs them.

At the doors and during a roll call the desks send hundreds of requests a minute. Through
django-ninja each one also pays for the walk through the API's URL patterns, the
authentication classes and the validation of its answer: a seventh of the instructions a
check-in runs in Python, a third of what it runs beyond a bare view (docs/performance.md).
These two plain views sit in front of the same URLs.
With a valid desk key and a body that the endpoint's schema accepts, they call the
functions the ninja operations call (`api.check_in_answer`, `api.vote_answer`) and answer
through the API's renderer and exception handlers, so that the answer is the same, byte
for byte. Anything else (a session, no key, a forged or expired key, a body to refuse)
goes on to the ninja operation, which also documents both endpoints in the OpenAPI schema.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Schema
from pydantic import ValidationError as SchemaError

from urbis.common.actor import Actor
from urbis.governance import api
from urbis.governance.desk import DeskKey, desk_key_read

View = Callable[..., HttpResponse]


def desk_key_of(request: HttpRequest) -> DeskKey | None:
    """The desk key of `Authorization: Bearer <key>`, read as django-ninja's HttpBearer
    reads it; None without a header, with another scheme, or for a key that does not hold."""
    # META, not `request.headers`, which would build a mapping of every header first.
    scheme, _, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return desk_key_read(token)


def desk_endpoint(
    *,
    ninja_api: NinjaAPI,
    answer: Callable[..., dict[str, object]],
    schema: type[Schema],
    ninja_view: View,
) -> View:
    """A view that answers a desk-signed POST itself and hands anything else to `ninja_view`."""

    @csrf_exempt  # a desk key is no cookie: nothing for a forged cross-site request to ride on
    def view(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        desk = desk_key_of(request) if request.method == "POST" else None
        if desk is None:
            return ninja_view(request, **kwargs)
        try:
            payload = schema.model_validate_json(request.body)
        except SchemaError:
            return ninja_view(request, **kwargs)  # ninja words its 422
        try:
            # A desk key holds both rules these endpoints check (URBIS_DESK_KEY_PERMISSIONS);
            # its meeting and revocation are checked with the write.
            data = answer(Actor.for_desk(desk), payload=payload, **kwargs)
        except Exception as exc:  # ninja's handlers answer it, or raise it again
            return ninja_api.on_exception(request, exc)
        return ninja_api.create_response(request, data, status=200)

    return view


def desk_urlpatterns(
    *, ninja_api: NinjaAPI, ninja_patterns: list[URLPattern | URLResolver]
) -> list[URLPattern]:
    """The desk views, to be included before `ninja_patterns` under the same prefix."""
    views = [(p.name, p.callback) for p in ninja_patterns if isinstance(p, URLPattern)]

    def ninja_view(name: str) -> View:
        found = [callback for n, callback in views if n == name]
        if len(found) != 1:
            raise ImproperlyConfigured(f"{len(found)} API operations are named {name!r}.")
        return found[0]

    return [
        path(
            "governance/meetings/<slug>/check-ins",
            desk_endpoint(
                ninja_api=ninja_api,
                answer=api.check_in_answer,
                schema=api.RegisterCheckInIn,
                ninja_view=ninja_view("governance_check_in"),
            ),
            name="desk_check_in",
        ),
        path(
            "governance/items/<int:item_id>/votes",
            desk_endpoint(
                ninja_api=ninja_api,
                answer=api.vote_answer,
                schema=api.VoteIn,
                ninja_view=ninja_view("governance_vote"),
            ),
            name="desk_vote",
        ),
    ]
