"""Sign-in lockout: by username and client address, the address from the proxy's header only
when the proxy is declared, and a limit per address across usernames."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import reverse

from urbis.common.lockout import client_ip

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"
PROXY = "127.0.0.1"


@pytest.fixture
def people(db):
    User = get_user_model()
    return [User.objects.create_user(f"user{i}", f"u{i}@example.org", PASSWORD) for i in range(4)]


def _login(client, username, password, *, forwarded=None, peer=PROXY):
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def _ip(meta):
    return client_ip(RequestFactory().get("/", **meta))


def test_header_ignored_without_a_declared_proxy(settings):
    settings.URBIS_TRUSTED_PROXIES = []
    assert _ip({"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.7"}) == PROXY


def test_header_believed_from_a_declared_proxy(settings):
    settings.URBIS_TRUSTED_PROXIES = ["127.0.0.1", "::1", "10.0.0.0/8"]
    meta = {"REMOTE_ADDR": PROXY}
    assert _ip({**meta, "HTTP_X_FORWARDED_FOR": "203.0.113.7"}) == "203.0.113.7"
    # Addresses the client wrote itself (to the left) are not believed.
    assert _ip({**meta, "HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.7"}) == "203.0.113.7"
    # A chain of declared proxies is walked from the right.
    assert _ip({**meta, "HTTP_X_FORWARDED_FOR": "203.0.113.7, 10.1.2.3"}) == "203.0.113.7"
    # Garbage stops the walk at the last trusted hop; no header: the proxy itself.
    assert _ip({**meta, "HTTP_X_FORWARDED_FOR": "evil, 10.1.2.3"}) == "10.1.2.3"
    assert _ip(meta) == PROXY
    # An undeclared peer is the client, whatever it forwards.
    assert _ip({"REMOTE_ADDR": "198.51.100.9", "HTTP_X_FORWARDED_FOR": "1.2.3.4"}) == (
        "198.51.100.9"
    )


def test_attacker_behind_the_proxy_cannot_lock_out_the_real_user(client, people, settings):
    settings.URBIS_TRUSTED_PROXIES = [PROXY]
    attacker, user = "203.0.113.66", "198.51.100.20"
    statuses = [
        _login(client, "user0", f"bad{i}", forwarded=attacker).status_code for i in range(6)
    ]
    assert statuses == [200, 200, 200, 200, 429, 429]
    assert _login(client, "user0", PASSWORD, forwarded=attacker).status_code == 429
    # The same username from the user's own address still signs in.
    assert _login(client, "user0", PASSWORD, forwarded=user).status_code == 302


def test_spraying_across_usernames_is_limited_per_address(client, people, settings):
    settings.URBIS_TRUSTED_PROXIES = [PROXY]
    settings.URBIS_LOGIN_ADDRESS_LIMIT = 6
    attacker = "203.0.113.66"
    statuses = [
        _login(client, f"user{i % 4}", "bad", forwarded=attacker).status_code for i in range(7)
    ]
    assert statuses == [200, 200, 200, 200, 200, 429, 429]
    response = _login(client, "user3", PASSWORD, forwarded=attacker)
    assert response.status_code == 429
    assert "from this address, whatever the account" in response.content.decode()
    # Another address is not affected.
    assert _login(client, "user3", PASSWORD, forwarded="198.51.100.20").status_code == 302
