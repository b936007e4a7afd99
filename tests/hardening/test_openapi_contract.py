"""The OpenAPI document against the API's answers: every operation is called as anonymous
and as secretariat admin with the permission matrix's request (real objects of the world,
a body valid enough to reach the handler), and what it answers must be a status the
document declares for that operation, with a body that validates against the schema
declared for that status. Every operation declares the shared error answers as `ErrorOut`,
and schema names are unique (one component per name, no app's schema shadowing another's).
"""

from __future__ import annotations

import json
import typing
from typing import Any

import jsonschema_rs  # schemathesis's validator
import pytest
from django.db import transaction
from django.test import Client
from pydantic import BaseModel

from tests.factories.world import build_world
from tests.test_permission_matrix import API, _api_url, _resolve, api_operations
from urbis.common.errors import BODY_ERRORS, SHARED_ERRORS
from urbis.config.api import api


def _document() -> dict[str, Any]:
    return json.loads(json.dumps(api.get_openapi_schema()))


def test_every_operation_declares_the_shared_errors_as_error_out():
    missing = []
    for path, operations in _document()["paths"].items():
        for method, op in operations.items():
            codes = dict(SHARED_ERRORS) | (BODY_ERRORS if "requestBody" in op else {})
            for code in codes:
                response = op["responses"].get(str(code))
                content = json.dumps((response or {}).get("content", {}))
                if "#/components/schemas/ErrorOut" not in content:
                    missing.append(f"{method.upper()} {path} {code}")
    assert missing == []


def test_schema_titles_are_unique():
    """Two apps defining a schema of one name share one component: the document would
    describe one of them with the other's fields. Each component's title is its name."""
    schemas = _document()["components"]["schemas"]
    wrong = {name: s.get("title") for name, s in schemas.items() if s.get("title") != name}
    assert wrong == {}
    seen: dict[str, set[str]] = {}
    for op in _operations():
        types = list(op.response_models.values())
        types += [m for m in getattr(op.signature, "models", [])]
        for model in _models(types):
            seen.setdefault(model.__name__, set()).add(f"{model.__module__}.{model.__qualname__}")
    clashes = {name: sorted(paths) for name, paths in seen.items() if len(paths) > 1}
    assert clashes == {}


def _models(types: list[Any]) -> set[type[BaseModel]]:
    """Every pydantic model reachable from these annotations (fields, lists, unions)."""
    found: set[type[BaseModel]] = set()
    stack = list(types)
    while stack:
        t = stack.pop()
        if isinstance(t, type) and issubclass(t, BaseModel):
            if t in found:
                continue
            if not t.__module__.startswith("ninja"):  # ninja's wrappers are not components
                found.add(t)
            stack.extend(f.annotation for f in t.model_fields.values())
        else:
            stack.extend(typing.get_args(t))
    return found


def _operations():
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            yield from path_view.operations


def _call(
    client: Client,
    method: str,
    url: str,
    data: dict[str, Any],
    query: dict[str, Any],
    multipart: bool,
):
    with transaction.atomic():
        if method == "GET":
            response = client.get(url, query)
        elif multipart:
            response = client.post(url, data)
        else:
            response = client.generic(
                method, url, data=json.dumps(data), content_type="application/json"
            )
        transaction.set_rollback(True)
    return response


def _check(doc: dict[str, Any], path: str, method: str, response: Any) -> str | None:
    declared = doc["paths"][path][method.lower()]["responses"]
    status = str(response.status_code)
    if status not in declared:
        return f"{method} {path}: answered {status}, declared {sorted(declared)}"
    content = declared[status].get("content") or {}
    if "application/json" not in content:
        return None  # a file or no body: nothing to validate
    body = response.content
    if not body:
        return f"{method} {path}: {status} declared as JSON, answered an empty body"
    try:
        payload = json.loads(body)
    except ValueError:
        return f"{method} {path}: {status} declared as JSON, answered {body[:80]!r}"
    schema = dict(content["application/json"]["schema"], components=doc["components"])
    errors = list(jsonschema_rs.Draft202012Validator(schema).iter_errors(payload))
    if errors:
        where = "/".join(str(p) for p in errors[0].instance_path)
        return f"{method} {path}: {status} at {where or 'body'}: {errors[0].message[:200]}"
    return None


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "admin"])
def test_every_answer_matches_what_the_document_declares(role):
    w = build_world()
    doc = _document()
    client = Client()
    if role == "admin":
        client.force_login(w.users["admin"])
    wrong: list[str] = []
    statuses: dict[int, int] = {}
    for key, method, path in api_operations():
        rule = API[key]
        url = _api_url(w, path, rule, "own")
        data = _resolve(w, rule.data, "own")
        query = _resolve(w, rule.query, "own")
        response = _call(client, method, url, data, query, rule.multipart)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        problem = _check(doc, path, method, response)
        if problem:
            wrong.append(problem)
    print(f"\n{role}: {sum(statuses.values())} operations; statuses {sorted(statuses.items())}")
    assert wrong == []
