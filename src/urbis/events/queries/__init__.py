"""Reads of the events app: the programme, registrations, check-ins and statistics.

The seam with governance: governance reads who attended a day of an event through
`checked_in_organisations(event, on=date)` and `attendance_register(event, on=date)`;
events never imports governance.

One module per concern: `programme` (events, sessions, venues, sponsors, days),
`registrations`, `attendance` (the check-ins, and the seam above) and `stats` (an event's
statistics and delegates by region). Callers import from here.
"""

from urbis.events.queries.attendance import (
    AttendanceRow,
    OrganisationAttendance,
    attendance_register,
    checked_in_organisations,
)
from urbis.events.queries.programme import (
    LIVE,
    ProgrammeDay,
    assembly_session,
    event_days,
    event_usage,
    events_on,
    events_visible_to,
    local_time,
    programme_days,
    public_events,
    sessions_filtered,
    sessions_of,
    signup_sessions,
    sponsors_of,
    venues,
)
from urbis.events.queries.registrations import (
    organisations_for_registration,
    participant_list,
    registration_by_code,
    registrations_visible_to,
)
from urbis.events.queries.stats import (
    UNKNOWN_REGION,
    NamedOrg,
    RegionCount,
    Statistics,
    delegates_by_region,
    kind_label,
    statistics,
)

__all__ = [
    "LIVE",
    "UNKNOWN_REGION",
    "AttendanceRow",
    "NamedOrg",
    "OrganisationAttendance",
    "ProgrammeDay",
    "RegionCount",
    "Statistics",
    "assembly_session",
    "attendance_register",
    "checked_in_organisations",
    "delegates_by_region",
    "event_days",
    "event_usage",
    "events_on",
    "events_visible_to",
    "kind_label",
    "local_time",
    "organisations_for_registration",
    "participant_list",
    "programme_days",
    "public_events",
    "registration_by_code",
    "registrations_visible_to",
    "sessions_filtered",
    "sessions_of",
    "signup_sessions",
    "sponsors_of",
    "statistics",
    "venues",
]
