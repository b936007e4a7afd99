"""DatabaseUnavailableMiddleware: a view that loses the database answers 503 + Retry-After.

The views below raise the errors Django raises when the server is down or the connection
was cut; the test client runs the whole middleware stack of the settings.
"""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.urls import path

from urbis.common.middleware import DB_UNAVAILABLE
from urbis.config.api import api


def _cannot_connect(request):
    raise OperationalError('connection failed: connection to server at "127.0.0.1" refused')


def _closed(request):
    raise InterfaceError("connection already closed")


def _bug(request):
    raise ValueError("not a database error")


urlpatterns = [
    path("page/", _cannot_connect),
    path("closed/", _closed),
    path("bug/", _bug),
    path("api/page/", _cannot_connect),
    path("api/v1/", api.urls),
]

# The project's 500 page, which falls back to a plain page when this URLconf has no
# navigation to reverse.
handler500 = "urbis.config.views.server_error"

pytestmark = pytest.mark.urls(__name__)


def test_a_page_answers_503_with_retry_after(client):
    response = client.get("/page/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert DB_UNAVAILABLE.encode() in response.content


def test_a_closed_connection_is_a_503_too(client):
    response = client.get("/closed/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"


def test_an_api_path_answers_json(client):
    response = client.get("/api/page/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json() == {"detail": "The database is unavailable; try again in a moment."}


def test_a_django_ninja_operation_is_caught(client):
    """django-ninja catches a handler's exceptions first; with DEBUG off it re-raises them,
    so the middleware still sees them."""
    with mock.patch(
        "urbis.members.api.queries.membership_table", side_effect=OperationalError("gone")
    ):
        response = client.get("/api/v1/members/counts")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json() == {"detail": DB_UNAVAILABLE}


def test_other_errors_are_left_to_django(client):
    client.raise_request_exception = False
    response = client.get("/bug/")
    assert response.status_code == 500
    assert "Retry-After" not in response


@pytest.mark.parametrize(
    "content_type", ["application/json", "text/plain", "", "application/octet-stream"]
)
@pytest.mark.parametrize(
    "body",
    [b'{"name": "a\\u0000b"}', b'{"name": "a\\ud800b"}', b'{"a": ["\\udc00"]}', b'{"\\u0000": 1}'],
)
def test_unstorable_json_is_refused_whatever_the_content_type(client, content_type, body):
    response = client.generic("PATCH", "/api/v1/members/counts", body, content_type=content_type)
    assert response.status_code == 400
    assert response.json()["detail"].startswith("The request contains a NUL character")


def test_a_paired_surrogate_passes(client):
    body = b'{"name": "\\ud83d\\ude00"}'
    response = client.generic("PATCH", "/api/v1/members/counts", body, content_type="text/plain")
    assert response.status_code != 400


@pytest.mark.django_db
def test_a_signed_in_request_that_loses_the_database_answers_503(client, django_user_model):
    """The user's saved language is looked up outside any view (UserLanguageMiddleware): a
    lost connection there was a 500, before the view could meet it and answer 503."""
    client.force_login(django_user_model.objects.create_user("ana", password="x" * 12))
    client.raise_request_exception = False
    with mock.patch(
        "urbis.common.middleware.session_language", side_effect=OperationalError("gone")
    ):
        response = client.get("/page/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
