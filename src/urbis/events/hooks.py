"""Listeners of badge check-ins, for apps that depend on events (which imports none of them).

An app registers a function at start-up (in its AppConfig.ready); `checkin_record` calls
every listener with the new check-in inside its own transaction, so what a listener writes
commits or rolls back with the check-in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from urbis.common.actor import ActorArg

if TYPE_CHECKING:
    from urbis.events.models import CheckIn

CheckInListener = Callable[..., None]

_check_in_listeners: list[CheckInListener] = []


def check_in_listen(listener: CheckInListener) -> CheckInListener:
    """Register a listener `listener(*, actor, checkin)` (once, however often it is called)."""
    if listener not in _check_in_listeners:
        _check_in_listeners.append(listener)
    return listener


def check_in_notify(*, actor: ActorArg, checkin: CheckIn) -> None:
    """Call every registered listener with a check-in just recorded."""
    for listener in list(_check_in_listeners):
        listener(actor=actor, checkin=checkin)
