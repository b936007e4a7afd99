"""Events models: the programme (programme.py) and the registrations (registration.py)."""

from urbis.events.models.programme import (
    Event,
    PickupPlace,
    Session,
    SessionKind,
    SessionPerson,
    Sponsor,
    Venue,
)
from urbis.events.models.registration import (
    AirportTransfer,
    Attendance,
    CheckIn,
    Registration,
    RegistrationStatus,
    SessionSignup,
)

__all__ = [
    "AirportTransfer",
    "Attendance",
    "CheckIn",
    "Event",
    "PickupPlace",
    "Registration",
    "RegistrationStatus",
    "Session",
    "SessionKind",
    "SessionPerson",
    "SessionSignup",
    "Sponsor",
    "Venue",
]
