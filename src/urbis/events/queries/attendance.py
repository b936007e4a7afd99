"""Who attended a day of an event: the register of check-ins, and the organisations checked
in, which governance reads to import a meeting's attendance (the seam between the apps).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from urbis.events.models import Attendance, CheckIn, Event


@dataclass(frozen=True)
class AttendanceRow:
    registration_id: int
    organisation_id: int
    organisation: str
    category: str
    country: str
    person_name: str
    position: str
    mode: str  # "on_site" or "online"
    mayoral_level: bool
    checked_in_at: dt.datetime


def _mode(attendance: str, method: str) -> str:
    if attendance == Attendance.ONLINE or method == CheckIn.Method.ONLINE:
        return Attendance.ONLINE.value
    return Attendance.ON_SITE.value


def attendance_register(event: Event, *, on: dt.date) -> list[AttendanceRow]:
    """Every delegate checked in on a day of the event (on-site, or present online)."""
    rows = (
        CheckIn.objects.filter(registration__event=event, day=on)
        .select_related("registration__organisation")
        .order_by("registration__organisation__name", "registration__person_name", "id")
    )
    return [
        AttendanceRow(
            registration_id=c.registration_id,
            organisation_id=c.registration.organisation_id,
            organisation=c.registration.organisation.name,
            category=c.registration.organisation.category,
            country=str(c.registration.organisation.country),
            person_name=c.registration.person_name,
            position=c.registration.position,
            mode=_mode(c.registration.attendance, c.method),
            mayoral_level=c.registration.mayoral_level,
            checked_in_at=c.at,
        )
        for c in rows
    ]


@dataclass(frozen=True)
class OrganisationAttendance:
    organisation_id: int
    organisation: str
    mode: str  # on_site if any delegate was checked in on-site, else online
    mayoral_level: bool  # any checked-in delegate is of mayoral level
    delegates: tuple[AttendanceRow, ...]


def checked_in_organisations(event: Event, *, on: dt.date) -> list[OrganisationAttendance]:
    """Organisations with at least one delegate checked in on `on`: what governance reads
    to fill the attendance register of the assembly session held that day."""
    grouped: dict[int, list[AttendanceRow]] = defaultdict(list)
    for row in attendance_register(event, on=on):
        grouped[row.organisation_id].append(row)
    result = []
    for org_id, rows in grouped.items():
        on_site = any(r.mode == Attendance.ON_SITE for r in rows)
        result.append(
            OrganisationAttendance(
                organisation_id=org_id,
                organisation=rows[0].organisation,
                mode=Attendance.ON_SITE.value if on_site else Attendance.ONLINE.value,
                mayoral_level=any(r.mayoral_level for r in rows),
                delegates=tuple(rows),
            )
        )
    return sorted(result, key=lambda r: (r.organisation, r.organisation_id))
