"""What a published document (the activity report, a memorandum, an invoice) must never
print: raw codes, unformatted amounts, the word "None", broken plurals and the notes the data
keeps for the secretariat."""

from __future__ import annotations

import re

FORBIDDEN: dict[str, re.Pattern[str]] = {
    "a stored code (snake_case)": re.compile(r"\b[a-z]+_[a-z_]+\b"),
    "an amount without thousands separators": re.compile(r"(?<![\d,.])\d{4,}\.\d{2}\b"),
    "the word None": re.compile(r"\bNone\b"),
    "a code glued to its label": re.compile(r"Localgovernment|Publicagency"),
    "a singular count with a plural noun": re.compile(r"(?<![\d,])\b1 [A-Za-z]+ members\b"),
    "a note on the data's source": re.compile(r"\bseed\b|\bis assumed\b|\(illustrative\)", re.I),
    "a note on the fee schedule's status": re.compile(r"not statute text|example schedule", re.I),
    "a note on the map's data": re.compile(r"geonames|shipped with the application", re.I),
    "a note on how the data closes gaps": re.compile(r"How the data closes", re.I),
}


def problems(text: str) -> list[str]:
    """Each forbidden pattern found in `text`, with what it matched."""
    flat = " ".join(text.split())
    found = []
    for what, pattern in FORBIDDEN.items():
        for match in pattern.finditer(flat):
            start = max(match.start() - 40, 0)
            found.append(f"{what}: …{flat[start : match.end() + 40]}…")
    return found
