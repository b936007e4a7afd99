"""The 6th General Assembly as an event: `events.yaml` → programme, sponsors, registrations.

Organisations are found by name or alias (the `also` names too); one the registry does not
hold is added as a non-member entry. Every row is checked before anything is written, and
every error reads `events.yaml:line: field: reason`. Loading twice changes nothing: the
programme upserts by natural keys, a delegate already registered is left as is, and
check-ins are idempotent.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django_countries import countries

from urbis.common.audit import audit_record
from urbis.demo.loaders.context import LoadContext
from urbis.demo.yamlio import LINE_KEY, DataError, DataErrors, read_yaml
from urbis.events import domain as events_domain
from urbis.events import rules as events_rules
from urbis.events.models import (
    AirportTransfer,
    Attendance,
    CheckIn,
    Event,
    Registration,
    SessionKind,
)
from urbis.members import domain as members_domain
from urbis.members.models import Category, Organisation

FILE = "events.yaml"
TIME_RANGE = re.compile(r"^(\d{1,2}):(\d{2})(?:\s*-\s*(\d{1,2}):(\d{2}))?$")
CHECKIN_TIME = dt.time(9, 0)


class _Errors:
    def __init__(self) -> None:
        self.items: list[DataError] = []

    def add(self, line: int, field: str, reason: str) -> None:
        self.items.append(DataError(FILE, line, field, reason))

    def raise_if_any(self) -> None:
        if self.items:
            raise DataErrors(self.items)


def _line(item: Any) -> int:
    return int(item.get(LINE_KEY, 0)) if isinstance(item, dict) else 0


def _fold(name: str) -> str:
    return " ".join(str(name).split()).casefold()


def _org_index() -> dict[str, Organisation]:
    index: dict[str, Organisation] = {}
    for org in Organisation.objects.all():
        for name in [org.name, *(org.aliases or [])]:
            index.setdefault(_fold(name), org)
    return index


def _parse_time(
    value: Any, day: dt.date, tz: ZoneInfo
) -> tuple[dt.datetime | None, dt.datetime | None, str]:
    text = str(value).strip()
    match = TIME_RANGE.match(text)
    if not match:
        return None, None, text  # e.g. "Flexible"
    h1, m1, h2, m2 = match.groups()
    start = dt.datetime.combine(day, dt.time(int(h1), int(m1)), tzinfo=tz)
    end = dt.datetime.combine(day, dt.time(int(h2), int(m2)), tzinfo=tz) if h2 else None
    return start, end, ""


def _check(doc: dict[str, Any], errors: _Errors) -> None:
    """Structural checks of the whole file, before anything is written."""
    event = doc.get("event") or {}
    for key in ("slug", "name", "starts_on", "ends_on", "time_zone"):
        if not event.get(key):
            errors.add(_line(event), f"event.{key}", "required")
    try:
        ZoneInfo(str(event.get("time_zone", "UTC")))
    except ZoneInfoNotFoundError:
        errors.add(_line(event), "event.time_zone", f"unknown time zone {event.get('time_zone')}")
    venue_keys = {v.get("key") for v in doc.get("venues") or []}
    starts, ends = event.get("starts_on"), event.get("ends_on")
    for day in doc.get("days") or []:
        on = day.get("day")
        if not isinstance(on, dt.date) or (starts and ends and not starts <= on <= ends):
            errors.add(_line(day), "day", f"{on} is not a day of the event")
        for s in day.get("sessions") or []:
            line = _line(s)
            if not s.get("title"):
                errors.add(line, "title", "required")
            if s.get("kind") not in SessionKind.values:
                errors.add(line, "kind", f"unknown kind '{s.get('kind')}'")
            if s.get("venue") and s["venue"] not in venue_keys:
                errors.add(line, "venue", f"unknown venue key '{s['venue']}'")
    for org in doc.get("registrations") or []:
        line = _line(org)
        if not org.get("name"):
            errors.add(line, "name", "required")
        if org.get("category") not in Category.values:
            errors.add(line, "category", f"unknown category '{org.get('category')}'")
        if org.get("country") and org["country"] not in countries:
            errors.add(line, "country", f"unknown country code '{org['country']}'")
        seen: set[str] = set()
        for d in org.get("delegates") or []:
            dline = _line(d) or line
            key = events_rules.person_key(str(d.get("person", "")))
            if not key:
                errors.add(dline, "person", "required")
            elif key in seen:
                errors.add(dline, "person", f"{d.get('person')} is listed twice")
            seen.add(key)
            if d.get("attendance", Attendance.ON_SITE) not in Attendance.values:
                errors.add(dline, "attendance", f"'{d.get('attendance')}' is not on_site/online")
            if d.get("transfer", AirportTransfer.NONE) not in AirportTransfer.values:
                errors.add(dline, "transfer", f"unknown airport transfer '{d.get('transfer')}'")
            for on in d.get("checked_in") or []:
                if not isinstance(on, dt.date) or (starts and ends and not starts <= on <= ends):
                    errors.add(dline, "checked_in", f"{on} is not a day of the event")


def _organisation(
    org: dict[str, Any], index: dict[str, Organisation], ctx: LoadContext
) -> tuple[Organisation, bool]:
    for name in [org["name"], *(org.get("also") or [])]:
        hit = index.get(_fold(name))
        if hit is not None:
            return hit, False
    created = members_domain.organisation_create(
        actor=ctx.actor,
        name=org["name"],
        category=org["category"],
        country=org.get("country", ""),
        city=org.get("city", ""),
        aliases=list(org.get("also") or []),
        description="Took part in the 6th General Assembly.",
    )
    # Where the row comes from is for the secretariat: the member page shows it in the
    # staff-only history, never in the public description.
    audit_record(
        actor=ctx.actor,
        action="organisation.source",
        target=created,
        after={"source": "6th General Assembly participant list (not in the registry)"},
    )
    for name in [created.name, *created.aliases]:
        index[_fold(name)] = created
    return created, True


def load(ctx: LoadContext) -> str:
    path = ctx.data_dir / FILE
    doc = read_yaml(path) or {}
    errors = _Errors()
    _check(doc, errors)
    errors.raise_if_any()

    index = _org_index()
    ctx.progress("Finding the participating organisations")
    resolved: list[tuple[dict[str, Any], Organisation]] = []
    added_orgs = 0
    for org in doc.get("registrations") or []:
        organisation, created = _organisation(org, index, ctx)
        resolved.append((org, organisation))
        added_orgs += created
    ev = doc["event"]
    tz = ZoneInfo(ev["time_zone"])
    event_fields = dict(
        slug=ev["slug"],
        host=index.get(_fold(ev["host"])) if ev.get("host") else None,
        name=ev["name"],
        theme=ev.get("theme", ""),
        starts_on=ev["starts_on"],
        ends_on=ev["ends_on"],
        time_zone=ev["time_zone"],
        city=ev.get("city", ""),
        country=ev.get("country", ""),
        official_language=ev.get("official_language", ""),
        interpretation=ev.get("interpretation", ""),
        description=" ".join(str(ev.get("description", "")).split()),
    )
    event = events_domain.event_save(actor=ctx.actor, **event_fields)
    ctx.progress("Loading the programme")
    venues = {
        v["key"]: events_domain.venue_save(
            actor=ctx.actor,
            name=v["name"],
            address=v.get("address", ""),
            city=v.get("city", ev.get("city", "")),
            country=v.get("country", ev.get("country", "")),
        )
        for v in doc.get("venues") or []
    }
    n_sessions = 0
    for day in doc.get("days") or []:
        for s in day.get("sessions") or []:
            starts_at, ends_at, note = _parse_time(s.get("time", ""), day["day"], tz)
            people = [
                {
                    "role": p["role"],
                    "name": p["name"],
                    "position": p.get("position", ""),
                    "organisation": index.get(_fold(p["organisation"]))
                    if p.get("organisation")
                    else None,
                }
                for p in s.get("people") or []
            ]
            places = [
                {"name": p["name"], "address": p.get("address", "")}
                for p in s.get("pickup_places") or []
            ]
            try:
                events_domain.session_save(
                    actor=ctx.actor,
                    event=event,
                    day=day["day"],
                    title=s["title"],
                    starts_at=starts_at,
                    ends_at=ends_at,
                    time_note=note,
                    kind=s["kind"],
                    venue=venues.get(s.get("venue", "")),
                    room=s.get("room", ""),
                    description=s.get("description", ""),
                    official_language=s.get("language", ""),
                    interpretation=s.get("interpretation", ""),
                    online=bool(s.get("online", False)),
                    capacity=s.get("capacity"),
                    requires_signup=s.get("capacity") is not None,
                    is_assembly=bool(s.get("assembly", False)),
                    people=people,
                    pickup_places=places,
                )
            except ValidationError as exc:
                errors.add(_line(s), "session", "; ".join(exc.messages))
            n_sessions += 1
    for order, sp in enumerate(doc.get("sponsors") or []):
        events_domain.sponsor_save(
            actor=ctx.actor,
            event=event,
            name=sp["name"],
            organisation=index.get(_fold(sp.get("organisation", sp["name"]))),
            description=" ".join(str(sp.get("description", "")).split()),
            website=sp.get("website", ""),
            order=order,
        )
    errors.raise_if_any()

    ctx.progress("Loading registrations")
    new_regs = new_checkins = 0
    for org, organisation in resolved:
        for d in org.get("delegates") or []:
            key = events_rules.person_key(d["person"])
            reg = Registration.objects.filter(
                event=event, organisation=organisation, person_key=key
            ).first()
            if reg is None:
                try:
                    reg = events_domain.registration_create(
                        actor=ctx.actor,
                        event=event,
                        organisation=organisation,
                        person_name=d["person"],
                        position=d.get("position", ""),
                        attendance=d.get("attendance", Attendance.ON_SITE),
                        mayoral_level=bool(d.get("mayoral", False)),
                        head_of_delegation=bool(d.get("head", False)),
                        hotel=d.get("hotel", ""),
                        dietary_needs=d.get("dietary", ""),
                        airport_transfer=d.get("transfer", AirportTransfer.NONE),
                        synthetic=bool(d.get("synthetic", False)),
                    )
                except ValidationError as exc:
                    errors.add(_line(d) or _line(org), "delegate", "; ".join(exc.messages))
                    continue
                new_regs += 1
            for on in d.get("checked_in") or []:
                online = reg.attendance == Attendance.ONLINE
                _, made = events_domain.checkin_record(
                    actor=ctx.actor,
                    code=reg.code,
                    day=on,
                    method=CheckIn.Method.ONLINE if online else CheckIn.Method.SCAN,
                    at=dt.datetime.combine(on, CHECKIN_TIME, tzinfo=tz),
                )
                new_checkins += made
    errors.raise_if_any()
    total = Registration.objects.filter(event=event).count()
    return (
        f"events: {Event.objects.filter(pk=event.pk).count()} event, {n_sessions} sessions, "
        f"{total} registrations ({new_regs} new, {added_orgs} organisations added), "
        f"{new_checkins} new check-ins"
    )
