"""Signed unsubscribe links: the link names the address, signed so nobody can turn off
someone else's mail; no database is read to make one."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "urbis.messaging.unsubscribe"


def unsubscribe_token(address: str) -> str:
    return signing.dumps(address.strip().lower(), salt=SALT, compress=True)


def unsubscribe_address(token: str) -> str | None:
    """The address a token was made for, or None if it was not made here."""
    try:
        value = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, str) else None


def absolute(path: str) -> str:
    return settings.URBIS_BASE_URL.rstrip("/") + path


def unsubscribe_url(address: str) -> str:
    return absolute(reverse("messaging:unsubscribe", args=[unsubscribe_token(address)]))
