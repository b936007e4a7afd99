"""Pure rules of the events app (no ORM): identity of a delegate, badge codes, capacity.

These are event policies of the secretariat, not statute articles; the statistics
definitions stated on the statistics page live here too, so that page, API and tests agree
(translatable: read in the active language when the statistics are computed).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import secrets
import unicodedata
import zoneinfo
from zoneinfo import ZoneInfo

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from urbis.common.inputs import MAX_ID

# Badge codes: no 0/O, 1/I/L, so a code read aloud or typed from a badge is unambiguous.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
QR_PREFIX = "URBIS-BADGE"

# What each definition defines, as the statistics page and the report print it.
DEFINITION_TERMS: dict[str, str | Promise] = {
    "participating_city": _("Participating city"),
    "country": _("Country"),
    "region": _("Region"),
    "mayoral_level": _("Mayoral level"),
    "organisation": _("Organisation"),
    "embassy": _("Embassy"),
    "attendance": _("Attendance"),
}

DEFINITIONS: dict[str, str | Promise] = {
    "participating_city": _(
        "A local government (member or not) with at least one approved registration for the "
        "event, on-site or online."
    ),
    "country": _("A country of at least one participating city."),
    "region": _(
        "The network region of the city's country (the country → region table); sub-regions "
        "count in their region."
    ),
    "mayoral_level": _(
        "An approved registration flagged mayoral level: governor, mayor, vice or deputy "
        "mayor, or an equivalent head of the local government, as declared when registering."
    ),
    "organisation": _(
        "An organisation that is neither a local government nor an embassy (institutions, "
        "corporations, observers, partners, sponsors) with at least one approved registration."
    ),
    "embassy": _("An embassy with at least one approved registration."),
    "attendance": _(
        "On-site or online as stated on each approved registration; 'checked in' counts "
        "delegates with at least one check-in."
    ),
}


def person_key(name: str) -> str:
    """The identity of a delegate's name: accents kept, case and spacing folded.

    "  Se-hoon  OH " and "se-hoon oh" are the same person; a second registration of that
    person by the same organisation to the same event is a duplicate.
    """
    text = unicodedata.normalize("NFC", name)
    return re.sub(r"\s+", " ", text).strip().casefold()


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """XXXX-XXXX, for printing on a badge."""
    return f"{code[:4]}-{code[4:]}" if len(code) == CODE_LENGTH else code


def qr_payload(event_slug: str, code: str) -> str:
    """What the badge's QR code holds: a prefix, the event and the code."""
    return f"{QR_PREFIX}:{event_slug}:{code}"


def parse_code(text: str) -> str:
    """The badge code in a scanned payload or a typed code ("abcd-efgh" → "ABCDEFGH")."""
    value = text.strip()
    if value.upper().startswith(QR_PREFIX + ":"):
        value = value.rsplit(":", 1)[-1]
    return re.sub(r"[\s-]", "", value).upper()


def capacity_left(capacity: int | None, taken: int) -> int | None:
    """Places left in a session (None: unlimited)."""
    if capacity is None:
        return None
    return max(capacity - taken, 0)


def is_full(capacity: int | None, taken: int) -> bool:
    return capacity is not None and taken >= capacity


# --- the programme: time zones, local times, registration windows -----------------------

# Words the event pages use after /events/; an event may not take them as its slug.
RESERVED_SLUGS = frozenset({"manage", "venues", "new"})


def id_in_range(value: int) -> bool:
    """An id either database can store (`common.inputs.MAX_ID`, a signed 64-bit integer): a
    larger one in a request names no row and must not reach the database (SQLite raises
    OverflowError on it)."""
    return 1 <= value <= MAX_ID


@functools.cache
def time_zone_names() -> tuple[str, ...]:
    """The IANA time zone names the system knows, sorted (the choices for an event)."""
    return tuple(sorted(zoneinfo.available_timezones()))


def is_time_zone(name: str) -> bool:
    return name in time_zone_names()


def local_to_utc(day: dt.date, at: dt.time, zone: str) -> dt.datetime:
    """The instant a wall-clock time `at` on `day` in `zone` names, in UTC.

    A time that does not exist on that day (the hour skipped when clocks go forward) is
    refused with ValueError; a time that happens twice (the hour repeated when clocks go
    back) is the first of the two, as a printed programme means it.
    """
    tz = ZoneInfo(zone)
    local = dt.datetime.combine(day, at.replace(tzinfo=None, fold=0), tzinfo=tz)
    instant = local.astimezone(dt.UTC)
    if instant.astimezone(tz).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise ValueError(f"{at:%H:%M} does not exist on {day} in {zone} (clocks go forward).")
    return instant


def utc_to_local(instant: dt.datetime, zone: str) -> dt.datetime:
    """The wall-clock time of `instant` in `zone`."""
    return instant.astimezone(ZoneInfo(zone))


def registration_refusal(
    *,
    event_name: str,
    switched_on: bool,
    opens_at: dt.datetime | None,
    closes_at: dt.datetime | None,
    now: dt.datetime,
    zone: str,
) -> str | None:
    """Why a focal point may not register now, or None when registration is open.

    Registration is open while the event's switch is on and `now` is within the window:
    from `opens_at` (included) until `closes_at` (excluded); a missing end leaves that
    side open. Times in the message are the event's local times.
    """

    def shown(at: dt.datetime) -> str:
        return f"{utc_to_local(at, zone):%d %B %Y %H:%M} ({zone})"

    if not switched_on:
        return f"Registration for {event_name} is closed."
    if opens_at is not None and now < opens_at:
        return f"Registration for {event_name} opens on {shown(opens_at)}."
    if closes_at is not None and now >= closes_at:
        return f"Registration for {event_name} closed on {shown(closes_at)}."
    return None
