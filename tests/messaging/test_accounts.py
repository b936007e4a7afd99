"""Account mails through the outbox: password reset, invitations, sign-in links."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from urbis.common import roles
from urbis.messaging import domain
from urbis.messaging.models import Message

pytestmark = pytest.mark.django_db


def _link(text: str, path: str) -> str:
    found = re.search(rf"http://127\.0\.0\.1:8000({re.escape(path)}\S*)", text)
    assert found, text
    return found.group(1)


def test_password_reset_is_queued_and_its_link_sets_the_password(client, smtp_server):
    user = get_user_model().objects.create_user("ana", "ana@city.example", "old-Pass-1234")
    page = client.post(reverse("password_reset"), {"email": "ana@city.example"})
    assert page.status_code == 302
    message = Message.objects.get(kind="accounts.password_reset")
    assert (message.to_address, message.statutory, message.state) == (
        "ana@city.example",
        True,
        "queued",
    )
    domain.outbox_send()
    (got,) = smtp_server.received
    assert got.message["Subject"] == "Your urbis password"
    body = got.message.get_body(("plain",)).get_content()
    path = _link(body, "/accounts/reset/")
    answer = client.get(path, follow=True)
    form_url = answer.redirect_chain[-1][0]
    done = client.post(
        form_url, {"new_password1": "A-new-Pass-987", "new_password2": "A-new-Pass-987"}
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("A-new-Pass-987")


def test_unknown_address_gets_no_mail(client):
    client.post(reverse("password_reset"), {"email": "nobody@city.example"})
    assert not Message.objects.exists()


def test_staff_invite_an_evaluator_with_a_sign_in_link(client, staff_user, smtp_server):
    client.force_login(staff_user)
    page = client.post(
        reverse("messaging:invite"),
        {
            "email": "Judge@Uni.example",
            "name": "Jo Judge",
            "as_": "evaluator",
            "sign_in_link": "on",
        },
    )
    assert page.status_code == 302
    user = get_user_model().objects.get(email="judge@uni.example")
    assert (user.username, user.has_usable_password()) == ("judge", False)
    assert list(user.groups.values_list("name", flat=True)) == [roles.EVALUATOR]
    domain.outbox_send()
    msg = smtp_server.received[0].message
    assert msg["To"] == "Jo Judge <judge@uni.example>"
    assert msg["Subject"] == "You are invited to urbis as evaluator"
    body = msg.get_body(("plain",)).get_content()
    assert "Your user name is judge." in body
    client.logout()
    sign_in = _link(body, "/messaging/sign-in/")
    assert client.get(sign_in).status_code == 302
    assert client.get(reverse("messaging:outbox")).wsgi_request.user == user
    client.logout()
    assert client.get(sign_in).status_code == 403  # once only


def test_invitation_refuses_an_address_with_an_account_and_writes_nothing(client, staff_user):
    get_user_model().objects.create_user("ana", "ana@city.example")
    client.force_login(staff_user)
    answer = client.post(
        "/api/v1/messaging/invitations",
        {"email": "ANA@city.example", "name": "Ana", "as": "delegate"},
        content_type="application/json",
    )
    assert answer.status_code == 422
    message = "ana@city.example already has an account."
    assert answer.json() == {"detail": f"email: {message}", "errors": {"email": [message]}}
    answer = client.post(
        "/api/v1/messaging/invitations",
        {"email": "x@city.example", "name": "X", "as": "focal point", "sign_in_link": True},
        content_type="application/json",
    )
    assert answer.json()["errors"] == {
        "sign_in_link": ["Sign-in links are offered to delegates and evaluators only."]
    }
    assert not Message.objects.exists()
    answer = client.post(
        "/api/v1/messaging/invitations",
        {"email": "x@city.example", "name": "X Y", "as": "focal point"},
        content_type="application/json",
    )
    assert answer.status_code == 201
    assert answer.json()["message"]["kind"] == "accounts.invitation"


def test_only_the_secretariat_invites(client, focal_point):
    client.force_login(focal_point[0])
    assert client.get(reverse("messaging:invite")).status_code == 403
