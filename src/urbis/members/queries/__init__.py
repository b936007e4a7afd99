"""Reads of the members app, one module per concern (registry.py, ...)."""

from urbis.members.queries.profile import (
    HistoryEntry,
    focal_point_organisations,
    organisation_contacts,
    organisation_history,
)
from urbis.members.queries.registry import (
    STATE_CHANGING_KINDS,
    CountRow,
    lifecycle_steps,
    membership_counts,
    membership_rows,
    membership_table,
    organisation_list,
    region_by_country,
    state_as_of,
    today,
    with_state,
)

__all__ = [
    "STATE_CHANGING_KINDS",
    "CountRow",
    "HistoryEntry",
    "focal_point_organisations",
    "lifecycle_steps",
    "membership_counts",
    "membership_rows",
    "membership_table",
    "organisation_contacts",
    "organisation_history",
    "organisation_list",
    "region_by_country",
    "state_as_of",
    "today",
    "with_state",
]
