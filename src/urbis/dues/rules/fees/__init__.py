"""Membership fees as pure functions over fee schedules (no ORM).

Fee schedules are statute data (Annex 3 of the statutes as amended by the 6th General
Assembly, 2023): a schedule has an effective date and one *table* per member category and
type, each table a list of *bands* over one criterion — the GDP per capita (PPP, USD) of
the member's country, the number of employees (worldwide, for corporations), or a flat fee.

The fiscal year runs from 1 January to 31 December (Art. 19); the fee for a fiscal year is
taken from the schedule in force on 1 January of that year.

A band covers whole numbers from `lower` to `upper` inclusive (`upper=None`: no upper
limit), as the statute's tables write them. Criterion values are whole numbers: employees
are counted, GDP per capita is taken in whole US dollars (fractions dropped), so a valid
table maps every value from `covers_from` upwards to exactly one band.
"""

from urbis.dues.rules.fees.compute import (
    Fee,
    compute_fee,
    fee_in_words,
)
from urbis.dues.rules.fees.data import (
    band_from_data,
    schedule_from_data,
    schedule_to_data,
    table_from_data,
)
from urbis.dues.rules.fees.schedules import (
    CRITERION_LABEL,
    EN_DASH,
    EXAMPLE_NOTE,
    WILDCARD,
    Band,
    Criterion,
    FeeError,
    Schedule,
    ScheduleError,
    Table,
    band_for,
    fiscal_year_bounds,
    fiscal_year_of,
    schedule_in_force,
    table_errors,
    table_for,
    validate_schedule,
)

__all__ = [
    "CRITERION_LABEL",
    "EN_DASH",
    "EXAMPLE_NOTE",
    "WILDCARD",
    "Band",
    "Criterion",
    "Fee",
    "FeeError",
    "Schedule",
    "ScheduleError",
    "Table",
    "band_for",
    "band_from_data",
    "compute_fee",
    "fee_in_words",
    "fiscal_year_bounds",
    "fiscal_year_of",
    "schedule_from_data",
    "schedule_in_force",
    "schedule_to_data",
    "table_errors",
    "table_for",
    "table_from_data",
    "validate_schedule",
]
