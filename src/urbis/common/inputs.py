"""The request toolkit: reading ids, dates, numbers, choices and text from a request, within
bounds, with one error type whose message names the field.

Views and API handlers parse with these instead of their own `int(…)` or
`date.fromisoformat(…)`: a value out of range never reaches the database (a page number of
10^23 is a 500 there, a date in year 10000 an overflow), and bad input is always the same
answer. `InputError` is a `ValidationError` of one field, so the API's handler answers 422
`{"errors": {field: [message]}}` and a form shows it on its field; `error_text` words any
`ValidationError` for a page's message, field by field.

Every parser takes the raw value (a string from a query or a form, or the value a JSON body
already typed) and the name of the field it came from, and either returns the typed value or
raises `InputError`. Blank input is "required" unless the parser is wrapped in `optional`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from django.core.exceptions import ValidationError

T = TypeVar("T")
D = TypeVar("D")

MAX_ID = 2**63 - 1  # a BigAutoField (PostgreSQL bigint, SQLite integer)
# Dates an application means: the database and the report's arithmetic handle these.
MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2999, 12, 31)
MAX_TEXT = 10_000

_INTEGER = re.compile(r"^[+-]?\d+$")
TRUE_WORDS = frozenset({"true", "yes", "on", "1"})
FALSE_WORDS = frozenset({"false", "no", "off", "0"})


class InputError(ValidationError):
    """Bad input in one field; `str()` reads "field: reason"."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__({field: [reason]})
        self.field = field
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.field}: {self.reason}"


def error_text(exc: ValidationError) -> str:
    """A ValidationError as one line for a page: "field: reason; field: reason" (a reason
    that concerns no field stands alone)."""
    if not hasattr(exc, "error_dict"):
        return "; ".join(str(m) for m in exc.messages)
    parts = []
    for field, messages in exc.message_dict.items():
        for message in messages:
            parts.append(message if field == "__all__" else f"{field}: {message}")
    return "; ".join(parts)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _as_text(value: object, field: str) -> str:
    text = str(value).strip()
    if "\x00" in text:
        raise InputError(field, "contains a NUL character")
    return text


def _shown(value: object) -> str:
    text = str(value)
    return repr(text if len(text) <= 40 else text[:40] + "…")


def optional(parse: Callable[..., T], value: object, **kwargs: Any) -> T | None:
    """`parse(value, **kwargs)`, or None when the value is blank (missing, empty, spaces)."""
    return None if _blank(value) else parse(value, **kwargs)


def or_default(parse: Callable[..., T], value: object, default: D, **kwargs: Any) -> T | D:
    """`parse(value, **kwargs)`, or `default` when the value is blank or does not parse: for
    what a page reads from its query string or a select, where a value typed by hand shows
    the default (today, the first day, no row) instead of an error."""
    try:
        parsed = optional(parse, value, **kwargs)
    except InputError:
        return default
    return default if parsed is None else parsed


def parse_text(value: object, *, field: str, max_length: int = MAX_TEXT) -> str:
    """Text, stripped; required, without NUL (PostgreSQL cannot store it), at most
    `max_length` characters."""
    if _blank(value):
        raise InputError(field, "is required")
    text = _as_text(value, field)
    if len(text) > max_length:
        raise InputError(field, f"at most {max_length} characters, not {len(text)}")
    return text


def parse_int(value: object, *, field: str, min: int | None = None, max: int | None = None) -> int:
    """A whole number within [min, max] ("12", 12; not "12.0", 12.5 or True)."""
    if _blank(value):
        raise InputError(field, "is required")
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise InputError(field, f"a whole number, not {_shown(value)}")
    if isinstance(value, str):
        text = _as_text(value, field)
        if not _INTEGER.fullmatch(text) or len(text) > 40:
            raise InputError(field, f"a whole number, not {_shown(text)}")
        value = int(text)
    if min is not None and value < min:
        raise InputError(field, f"at least {min}, not {value}")
    if max is not None and value > max:
        raise InputError(field, f"at most {max}, not {value}")
    return value


def parse_id(value: object, *, field: str) -> int:
    """A database id: a whole number from 1 to MAX_ID."""
    return parse_int(value, field=field, min=1, max=MAX_ID)


def parse_decimal(
    value: object,
    *,
    field: str,
    min: Decimal | int | None = None,
    max: Decimal | int | None = None,
    places: int | None = None,
) -> Decimal:
    """A finite decimal number within [min, max], with at most `places` decimal places."""
    if _blank(value):
        raise InputError(field, "is required")
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise InputError(field, f"a number, not {_shown(value)}")
    text = _as_text(value, field) if isinstance(value, str) else str(value)
    if len(text) > 60:
        raise InputError(field, f"a number, not {_shown(text)}")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise InputError(field, f"a number, not {_shown(text)}") from None
    if not number.is_finite():
        raise InputError(field, f"a finite number, not {_shown(text)}")
    if places is not None and -int(number.as_tuple().exponent) > places:
        raise InputError(field, f"at most {places} decimal places, not {text}")
    if min is not None and number < min:
        raise InputError(field, f"at least {min}, not {text}")
    if max is not None and number > max:
        raise InputError(field, f"at most {max}, not {text}")
    return number


def parse_number(
    value: object,
    *,
    field: str,
    min: float | None = None,
    max: float | None = None,
) -> float:
    """A finite floating-point number within [min, max] (NaN and infinities refused)."""
    if _blank(value):
        raise InputError(field, "is required")
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise InputError(field, f"a number, not {_shown(value)}")
    text = _as_text(value, field) if isinstance(value, str) else value
    try:
        number = float(text)
    except (ValueError, OverflowError):
        raise InputError(field, f"a number, not {_shown(text)}") from None
    if not math.isfinite(number):
        raise InputError(field, f"a finite number, not {_shown(text)}")
    if min is not None and number < min:
        raise InputError(field, f"at least {min:g}, not {number:g}")
    if max is not None and number > max:
        raise InputError(field, f"at most {max:g}, not {number:g}")
    return number


def parse_date(
    value: object,
    *,
    field: str,
    min: dt.date = MIN_DATE,
    max: dt.date = MAX_DATE,
) -> dt.date:
    """A date written YYYY-MM-DD (or a date already), from `min` to `max` inclusive."""
    if _blank(value):
        raise InputError(field, "is required")
    if isinstance(value, dt.datetime):
        raise InputError(field, f"a date (YYYY-MM-DD), not a date and time {_shown(value)}")
    if isinstance(value, dt.date):
        day = value
    else:
        text = _as_text(value, field)
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise InputError(field, f"a date written YYYY-MM-DD, not {_shown(text)}")
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            raise InputError(field, f"no such date: {text}") from None
    if day < min:
        raise InputError(field, f"on or after {min.isoformat()}, not {day.isoformat()}")
    if day > max:
        raise InputError(field, f"on or before {max.isoformat()}, not {day.isoformat()}")
    return day


def parse_choice(value: object, *, field: str, choices: Iterable[str]) -> str:
    """One of `choices`, exactly (a form's select, a query's filter)."""
    allowed = list(choices)
    if _blank(value):
        raise InputError(field, "is required")
    text = _as_text(value, field)
    if text not in allowed:
        raise InputError(field, f"one of {', '.join(allowed)}, not {_shown(text)}")
    return text


def parse_bool(value: object, *, field: str) -> bool:
    """true/false, yes/no, on/off, 1/0 (any case), or a JSON boolean."""
    if isinstance(value, bool):
        return value
    if _blank(value):
        raise InputError(field, "is required")
    text = _as_text(value, field).casefold()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise InputError(field, f"true or false, not {_shown(text)}")
