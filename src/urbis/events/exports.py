"""Exports: iCal feed of the programme, participant list (CSV/XLSX), programme PDF."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
from django.utils import timezone

from urbis.common.exports import Format, table_bytes
from urbis.common.pdf import render_pdf
from urbis.events import queries, rules
from urbis.events.models import Event, Session

PARTICIPANT_HEADERS = [
    "Organisation",
    "Category",
    "Country",
    "Delegate",
    "Position",
    "Attendance",
    "Mayoral level",
    "Head of delegation",
    "Hotel",
    "Dietary needs",
    "Airport transfer",
    "Status",
    "Badge code",
    "Checked in",
    "Synthetic",
]


def _location(session: Session) -> str:
    parts = []
    if session.venue:
        parts.append(session.venue.name)
    if session.room:
        parts.append(session.room)
    if session.venue and session.venue.address:
        parts.append(session.venue.address)
    return ", ".join(parts)


def _description(session: Session) -> str:
    lines = [session.get_kind_display()]
    if session.time_note:
        lines.append(f"Time: {session.time_note}")
    for person in session.people.all():
        who = f"{person.get_role_display()}: {person.name}"
        lines.append(f"{who}, {person.position}" if person.position else who)
    for place in session.pickup_places.all():
        lines.append(f"{place.name}" + (f" ({place.address})" if place.address else ""))
    if session.description:
        lines.append(session.description)
    return "\n".join(lines)


def programme_ical(event: Event, *, stamp: dt.datetime | None = None) -> bytes:
    """The programme as an iCalendar feed (RFC 5545), times in the event's time zone."""
    tz = ZoneInfo(event.time_zone)
    cal = icalendar.Calendar()
    cal.add("prodid", "-//urbis//events//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", event.name)
    cal.add("x-wr-timezone", event.time_zone)
    now = stamp or timezone.now()
    for s in queries.sessions_of(event):
        item = icalendar.Event()
        item.add("uid", f"session-{s.pk}@{event.slug}.urbis")
        item.add("dtstamp", now)
        item.add("summary", s.title)
        if s.starts_at:
            item.add("dtstart", s.starts_at.astimezone(tz))
            if s.ends_at:
                item.add("dtend", s.ends_at.astimezone(tz))
        else:
            item.add("dtstart", s.day)
            item.add("dtend", s.day + dt.timedelta(days=1))
        location = _location(s)
        if location:
            item.add("location", location)
        item.add("description", _description(s))
        item.add("categories", [s.get_kind_display()])
        cal.add_component(item)
    cal.add_missing_timezones()
    return bytes(cal.to_ical())


def participants_rows(event: Event) -> list[list[str]]:
    """Approved participants, one row per delegate, ordered by organisation and name."""
    rows = []
    for r in queries.participant_list(event):
        rows.append(
            [
                r.organisation.name,
                r.organisation.get_category_display(),
                str(r.organisation.country.name)  # type: ignore[attr-defined]  # a Country
                if r.organisation.country
                else "",
                r.person_name,
                r.position,
                r.get_attendance_display(),
                "yes" if r.mayoral_level else "no",
                "yes" if r.head_of_delegation else "no",
                r.hotel,
                r.dietary_needs,
                r.get_airport_transfer_display(),
                r.get_status_display(),
                rules.format_code(r.code),
                "yes" if r.n_checkins else "no",  # type: ignore[attr-defined]
                "yes" if r.synthetic else "no",
            ]
        )
    return rows


def participants_file(event: Event, fmt: Format) -> bytes:
    """The participant list as CSV or XLSX; text a delegate typed never runs as a formula."""
    return table_bytes(fmt, PARTICIPANT_HEADERS, participants_rows(event), title="Participants")


PROGRAMME_CSS = """
.day { margin-bottom: 6mm; }
.day h2 { page-break-after: avoid; }
tr { page-break-inside: avoid; }
ol.pickups { margin: 1mm 0 0 4mm; padding: 0; }
.time { white-space: nowrap; width: 28mm; }
.kind { color: #5b6b7b; font-size: 8pt; }
"""


def programme_context(event: Event) -> dict[str, object]:
    return {
        "event": event,
        "days": queries.programme_days(event),
        "sponsors": list(event.sponsors.all()),
    }


def programme_pdf(event: Event) -> bytes:
    return render_pdf(
        "events/programme_pdf.html", programme_context(event), extra_css=PROGRAMME_CSS
    )
