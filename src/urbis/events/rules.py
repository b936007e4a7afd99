"""Pure rules of the events app (no ORM): identity of a delegate, badge codes, capacity.

These are event policies of the secretariat, not statute articles; the statistics
definitions stated on the statistics page live here too, so that page, API and tests agree.
"""

from __future__ import annotations

import re
import secrets
import unicodedata

# Badge codes: no 0/O, 1/I/L, so a code read aloud or typed from a badge is unambiguous.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
QR_PREFIX = "URBIS-BADGE"

DEFINITIONS = {
    "participating_city": (
        "A local government (member or not) with at least one approved registration for the "
        "event, on-site or online."
    ),
    "country": "A country of at least one participating city.",
    "region": (
        "The network region of the city's country (the country → region table); sub-regions "
        "count in their region."
    ),
    "mayoral_level": (
        "An approved registration flagged mayoral level: governor, mayor, vice or deputy "
        "mayor, or an equivalent head of the local government, as declared when registering."
    ),
    "organisation": (
        "An organisation that is neither a local government nor an embassy (institutions, "
        "corporations, observers, partners, sponsors) with at least one approved registration."
    ),
    "embassy": "An embassy with at least one approved registration.",
    "attendance": (
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
