"""One API error body for every app: {"detail": str, "errors"?: {field: [str]}}, declared
once in OpenAPI (`ErrorOut`), and the schema names of the document are unique."""

from __future__ import annotations

import json

import pytest

from urbis.config.api import api

pytestmark = pytest.mark.django_db


def _shape_ok(body: dict) -> bool:
    if set(body) - {"detail", "errors"} or not isinstance(body.get("detail"), str):
        return False
    errors = body.get("errors", {})
    return all(isinstance(k, str) and all(isinstance(m, str) for m in v) for k, v in errors.items())


def test_the_document_declares_error_out_and_distinct_result_schemas():
    schemas = api.get_openapi_schema()["components"]["schemas"]
    assert schemas["ErrorOut"]["required"] == ["detail"]
    assert "VoteResultOut" in schemas and "CityResultOut" in schemas
    assert "ResultOut" not in schemas


def test_documented_error_codes_point_at_error_out():
    wrong = []
    for path, operations in api.get_openapi_schema()["paths"].items():
        for method, op in operations.items():
            for code, response in op.get("responses", {}).items():
                if code in {"400", "401", "403", "404", "409"}:
                    ref = json.dumps(response.get("content", {}))
                    if "ErrorOut" not in ref:
                        wrong.append(f"{method.upper()} {path} {code}")
    assert wrong == []


def test_every_error_kind_answers_the_one_shape(client, staff_user):
    answers = [
        client.get("/api/v1/jobs"),  # 401
        client.post(
            "/api/v1/members/organisations", "{", content_type="application/json"
        ),  # 401 before parsing
    ]
    client.force_login(staff_user)
    url = "/api/v1/members/organisations"
    body = {"name": "Seoul", "category": "local_government"}
    client.post(url, body, content_type="application/json")
    answers += [
        client.post(url, body, content_type="application/json"),  # 409
        client.post(url, {"name": 5}, content_type="application/json"),  # 422 (input)
        client.post(url, {"name": " ", "category": "local_government"},
                    content_type="application/json"),  # 422 (domain)
        client.get("/api/v1/members/organisations/nowhere"),  # 404
        client.generic("PATCH", url + "/seoul", b'{"city": "a\\u0000b"}',
                       content_type="text/plain"),  # 400
    ]  # fmt: skip
    statuses = [a.status_code for a in answers]
    assert statuses == [401, 401, 409, 422, 422, 404, 400]
    assert [a.json() for a in answers if not _shape_ok(a.json())] == []
