"""Writes of the events app: the programme (programme.py) and registrations (registration.py)."""

from urbis.events.domain.programme import (
    event_save,
    session_save,
    sponsor_save,
    venue_save,
)
from urbis.events.domain.registration import (
    checkin_record,
    registration_approve,
    registration_cancel,
    registration_create,
    session_signup,
)

__all__ = [
    "checkin_record",
    "event_save",
    "registration_approve",
    "registration_cancel",
    "registration_create",
    "session_save",
    "session_signup",
    "sponsor_save",
    "venue_save",
]
