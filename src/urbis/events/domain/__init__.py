"""Writes of the events app: the programme (programme.py) and registrations (registration.py)."""

from urbis.events.domain.editing import (
    InUse,
    event_create,
    event_delete,
    event_update,
    sponsor_create,
    sponsor_delete,
    sponsor_update,
    venue_create,
    venue_delete,
    venue_update,
)
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
    registration_reject,
    session_signup,
)
from urbis.events.domain.sessions import session_create, session_delete, session_update

__all__ = [
    "InUse",
    "checkin_record",
    "event_create",
    "event_delete",
    "event_save",
    "event_update",
    "registration_approve",
    "registration_cancel",
    "registration_create",
    "registration_reject",
    "session_create",
    "session_delete",
    "session_save",
    "session_signup",
    "session_update",
    "sponsor_create",
    "sponsor_delete",
    "sponsor_save",
    "sponsor_update",
    "venue_create",
    "venue_delete",
    "venue_save",
    "venue_update",
]
