"""Bounds on what the registry accepts: policy, not statute, as pure functions.

A date or a year outside these bounds is a typing error (9999-12-31, 99999), and a
lifecycle event dated far in the future would be the log's last event and refuse every
real one dated before it. Each function returns the message to show, or "" when the value
is within bounds.
"""

from __future__ import annotations

import datetime as dt

# The registry's history begins with the network (founded 2010); older events are typing
# errors, but a margin keeps the predecessors' dates recordable.
EARLIEST_EVENT = dt.date(1900, 1, 1)
# An event may be recorded ahead of its date (a withdrawal effective at the end of the
# year, a decision to take effect next year), never further ahead than this.
MAX_DAYS_AHEAD = 366
EARLIEST_POPULATION_YEAR = 1800


def lifecycle_date_problem(on: dt.date, *, today: dt.date) -> str:
    """Lifecycle events: from EARLIEST_EVENT to MAX_DAYS_AHEAD days after today."""
    latest = today + dt.timedelta(days=MAX_DAYS_AHEAD)
    if on < EARLIEST_EVENT:
        return f"The date {on} is before {EARLIEST_EVENT}: check the year."
    if on > latest:
        return f"The date {on} is more than a year ahead (latest {latest}): check the year."
    return ""


def population_year_problem(year: int | None, *, today: dt.date) -> str:
    """A population figure's year: from EARLIEST_POPULATION_YEAR to the current year."""
    if year is None:
        return ""
    if not EARLIEST_POPULATION_YEAR <= year <= today.year:
        return f"The year {year} is not between {EARLIEST_POPULATION_YEAR} and {today.year}."
    return ""


def normalise_name(text: str) -> str:
    """A name as stored: surrounding spaces removed, runs of spaces made one."""
    return " ".join(text.split())
