"""The dates the dues pages start from, derived from the data, not typed: the period between
the last two General Assemblies held, and today for the status review.

dues does not import governance (governance decides on dues): the assemblies' dates are
read through the function named by the setting `URBIS_ASSEMBLY_DATES_READER`
(`governance.portal.assembly_dates`: the dates of the General Assemblies held up to a day,
newest first). Without it, or with fewer than two assemblies, the period is the two years
up to today (the statutes call an Assembly every two years)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.utils.module_loading import import_string

from urbis.members.queries import today


@lru_cache(maxsize=1)
def _reader() -> Callable[[dt.date], list[dt.date]] | None:
    path = getattr(settings, "URBIS_ASSEMBLY_DATES_READER", "")
    return import_string(path) if path else None


def assemblies_held(on: dt.date) -> list[dt.date]:
    reader = _reader()
    return reader(on) if reader is not None else []


def default_period(on: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """From the day of the second-last Assembly held to the day of the last one."""
    on = on or today()
    held = assemblies_held(on)
    if len(held) >= 2:
        return held[1], held[0]
    end = held[0] if held else on
    try:
        return end.replace(year=end.year - 2), end
    except ValueError:  # 29 February
        return end.replace(year=end.year - 2, day=28), end


def default_review_date(on: dt.date | None = None) -> dt.date:
    """The status review is made as of today (the day it is looked at)."""
    return on or today()
