"""API tokens through the API and the account page; a token calls the API as its user."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from urbis.common.actor import Actor
from urbis.common.models import ApiToken
from urbis.common.tokens import api_token_create

pytestmark = pytest.mark.django_db
TOKENS = "/api/v1/account/tokens"


def _issue(user, scope="read"):
    return api_token_create(
        owner=user, label="sync", scope=scope, expires_on=None, actor=Actor.for_user(user)
    )


def test_create_through_the_api_shows_the_secret_once(client, staff_user):
    client.force_login(staff_user)
    response = client.post(
        TOKENS, json.dumps({"label": "robot", "scope": "write"}), content_type="application/json"
    )
    assert response.status_code == 201
    body = response.json()
    token = ApiToken.objects.get()
    assert body["id"] == token.pk
    assert (body["label"], body["scope"], body["state"]) == ("robot", "write", "active")
    assert body["secret"].startswith(body["prefix"])
    listed = client.get(TOKENS).json()
    assert listed["count"] == 1
    assert "secret" not in listed["items"][0]
    assert listed["items"][0]["id"] == token.pk


def test_bad_input_is_a_422_naming_the_field(client, staff_user):
    client.force_login(staff_user)
    for body, field in (
        ({"label": "x", "scope": "admin"}, "scope"),
        ({"label": "x", "expires_on": "2000-01-01"}, "expires_on"),
        ({"label": "  "}, "label"),
    ):
        response = client.post(TOKENS, json.dumps(body), content_type="application/json")
        assert response.status_code == 422, body
        assert field in response.content.decode()
    assert ApiToken.objects.count() == 0


def test_a_token_reads_as_its_user_and_cannot_create_tokens(staff_user):
    issued = _issue(staff_user, "write")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")
    assert api.get(TOKENS).json()["items"][0]["prefix"] == issued.token.prefix
    response = api.post(TOKENS, json.dumps({"label": "more"}), content_type="application/json")
    assert response.status_code == 403
    assert ApiToken.objects.count() == 1


def test_a_read_token_is_refused_on_writes_and_a_write_token_is_not(staff_user):
    read = _issue(staff_user, "read")
    write = _issue(staff_user, "write")
    response = Client(HTTP_AUTHORIZATION=f"Token {read.secret}").delete(
        f"{TOKENS}/{write.token.pk}"
    )
    assert response.status_code == 403
    assert "may only read" in response.json()["detail"]
    assert ApiToken.objects.get(pk=write.token.pk).revoked_at is None
    response = Client(HTTP_AUTHORIZATION=f"Token {write.secret}").delete(
        f"{TOKENS}/{read.token.pk}"
    )
    assert response.status_code == 200
    assert response.json()["state"] == "revoked"
    # the revoked token no longer opens the API
    assert Client(HTTP_AUTHORIZATION=f"Bearer {read.secret}").get(TOKENS).status_code == 401


def test_no_one_revokes_anothers_token(client, staff_user, admin_user):
    theirs = _issue(staff_user)
    client.force_login(admin_user)
    assert client.delete(f"{TOKENS}/{theirs.token.pk}").status_code == 404
    assert ApiToken.objects.get().revoked_at is None


def test_an_id_no_row_can_have_is_refused_not_a_500(client, staff_user):
    client.force_login(staff_user)
    huge = 2**70
    assert client.delete(f"{TOKENS}/{huge}").status_code == 422
    assert client.delete(f"{TOKENS}/0").status_code == 422
    assert client.post(f"/account/tokens/{huge}/revoke/").status_code == 404


def test_a_session_write_needs_csrf(staff_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    response = client.post(TOKENS, json.dumps({"label": "x"}), content_type="application/json")
    assert response.status_code == 403
    assert ApiToken.objects.count() == 0


def test_anonymous_callers_are_401():
    assert Client().get(TOKENS).status_code == 401
    assert Client(HTTP_AUTHORIZATION="Bearer urbis_nope").get(TOKENS).status_code == 401


# --- the page ------------------------------------------------------------------------------


def test_the_page_creates_a_token_and_shows_its_secret_once(client, staff_user):
    client.force_login(staff_user)
    response = client.post(
        "/account/tokens/", {"label": "spreadsheet", "scope": "read", "expires_on": ""}
    )
    assert response.status_code == 200
    token = ApiToken.objects.get()
    secret = response.context["issued"].secret
    assert secret.startswith(token.prefix)
    assert secret in response.content.decode()
    again = client.get("/account/tokens/")
    assert secret not in again.content.decode()
    assert token.prefix in again.content.decode()


def test_the_page_names_a_bad_field(client, staff_user):
    client.force_login(staff_user)
    response = client.post(
        "/account/tokens/", {"label": "x", "scope": "read", "expires_on": "2001-01-01"}
    )
    assert response.status_code == 400
    assert "expires_on" in response.context["form"].errors
    assert ApiToken.objects.count() == 0


def test_the_page_revokes_ones_own_token_only(client, staff_user, admin_user):
    own = _issue(staff_user)
    theirs = _issue(admin_user)
    client.force_login(staff_user)
    assert client.post(f"/account/tokens/{theirs.token.pk}/revoke/").status_code == 404
    response = client.post(f"/account/tokens/{own.token.pk}/revoke/")
    assert response.status_code == 302
    assert ApiToken.objects.get(pk=own.token.pk).revoked_at is not None
    assert ApiToken.objects.get(pk=theirs.token.pk).revoked_at is None


def test_the_page_is_linked_from_the_user_menu_and_lists_in_bounded_queries(
    client, staff_user, django_assert_max_num_queries
):
    for _ in range(30):
        _issue(staff_user)
    client.force_login(staff_user)
    assert 'href="/account/tokens/"' in client.get("/").content.decode()
    with django_assert_max_num_queries(8):
        response = client.get("/account/tokens/")
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 30
    assert len(response.context["page"].object_list) == 25
