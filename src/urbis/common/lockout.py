"""Sign-in lockout (django-axes): who the client is, and when an address is locked.

Two limits, both over the cool-off period (AXES_COOLOFF_TIME):
- a username from one client address: AXES_FAILURE_LIMIT failures (axes' own rule); the
  same username from another address is not locked, so a stranger cannot lock a user out;
- one client address across all usernames: URBIS_LOGIN_ADDRESS_LIMIT failures, which stops
  password spraying (a few guesses for each of many usernames).

The client address is the connection's peer (REMOTE_ADDR), unless that peer is a proxy the
deployment declares (URBIS_TRUSTED_PROXIES): then it is the right-most address of
X-Forwarded-For that is not itself a declared proxy. Addresses to its left were written by
the client and are never believed. Without a declared proxy the header is ignored: behind an
undeclared nginx every request would come from 127.0.0.1 and one address would hold every
user's failures.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    for proxy in getattr(settings, "URBIS_TRUSTED_PROXIES", ()):
        if address in ipaddress.ip_network(proxy, strict=False):
            return True
    return False


def client_ip(request: HttpRequest) -> str | None:
    """The client's address (AXES_CLIENT_IP_CALLABLE), see the module's docstring."""
    peer = _address(request.META.get("REMOTE_ADDR", ""))
    if peer is None:
        return None
    if not _trusted(peer):
        return str(peer)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed(forwarded.split(",")):
        address = _address(hop)
        if address is None:
            break  # garbage in the chain: stop at the last hop we could trust
        if not _trusted(address):
            return str(address)
        peer = address
    return str(peer)


def address_failures(ip: str | None, request: HttpRequest) -> int:
    """Failures from one address, all usernames, within the cool-off period."""
    if not ip:
        return 0
    total = AccessAttempt.objects.filter(
        ip_address=ip, attempt_time__gte=get_cool_off_threshold(request)
    ).aggregate(n=Sum("failures_since_start"))["n"]
    return int(total or 0)


class LockoutHandler(AxesDatabaseHandler):  # type: ignore[misc]
    """Axes' database handler, plus the per-address limit across usernames."""

    def is_locked(self, request: Any, credentials: dict[str, Any] | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        return _address_locked(request)

    def user_login_failed(
        self, sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
    ) -> None:
        """Record the failure (axes), then lock the answer to this very attempt if it was
        the address's last allowed one, as axes does for the username."""
        super().user_login_failed(sender, credentials, request, **kwargs)
        locked = request is not None and getattr(request, "axes_locked_out", False)
        if request is not None and not locked and _address_locked(request):
            request.axes_locked_out = True
            request.axes_credentials = credentials


def _address_locked(request: Any) -> bool:
    ip = getattr(request, "axes_ip_address", None)
    return address_failures(ip, request) >= settings.URBIS_LOGIN_ADDRESS_LIMIT
