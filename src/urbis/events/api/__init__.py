"""REST endpoints of events: handlers parse, call one query or domain function, serialise.

Reads of the programme and statistics are public; registrations need a session (a focal
point sees and registers only its own member's delegates); check-in is for the secretariat.

One module per audience: `reads` (the public programme and statistics), `registrations`
(a focal point's delegates and the secretariat's review) and `checkins` (the desk), all
registering on the router of `base`, with the schemas in `schemas`; they are imported in
the order their operations appear in the API document. Each operation names its
`operation_id`, so the ids published before the split stay.
"""

from urbis.common.errors import ErrorOut as DetailOut
from urbis.common.errors import ErrorOut as ErrorsOut

# The operations register on the router in this order, the order of the API document.
from urbis.events.api.base import router

# isort: split
from urbis.events.api.schemas import (
    AttendanceOut,
    CheckInIn,
    CheckInOut,
    DayOut,
    EventOut,
    PersonOut,
    PlaceOut,
    ProgrammeOut,
    RegionOut,
    RegistrationIn,
    RegistrationOut,
    RejectIn,
    SessionOut,
    SignupIn,
    SponsorOut,
    StatisticsOut,
)

# isort: split
from urbis.events.api.reads import programme, statistics

# isort: split
from urbis.events.api.registrations import (
    registration_approve,
    registration_create,
    registration_list,
    registration_reject,
    session_signup,
)

# isort: split
from urbis.events.api.checkins import attendance, checkin

__all__ = [
    "AttendanceOut",
    "CheckInIn",
    "CheckInOut",
    "DayOut",
    "DetailOut",
    "ErrorsOut",
    "EventOut",
    "PersonOut",
    "PlaceOut",
    "ProgrammeOut",
    "RegionOut",
    "RegistrationIn",
    "RegistrationOut",
    "RejectIn",
    "SessionOut",
    "SignupIn",
    "SponsorOut",
    "StatisticsOut",
    "attendance",
    "checkin",
    "programme",
    "registration_approve",
    "registration_create",
    "registration_list",
    "registration_reject",
    "router",
    "session_signup",
    "statistics",
]
