"""Writes to the members app, one module per concern (registry.py, ...)."""

from urbis.members.domain.applications import (
    application_agenda_meetings,
    application_agenda_placer_register,
    application_check,
    application_decide_for_decision,
    application_put_on_agenda,
    application_reject,
    application_submit,
)
from urbis.members.domain.registry import (
    FOCAL_POINT_FIELDS,
    ORGANISATION_FIELD_ORDER,
    ORGANISATION_FIELDS,
    RESERVED_SLUGS,
    contact_save,
    lifecycle_record,
    organisation_create,
    organisation_update,
    participation_record,
    unique_slug,
)

__all__ = [
    "FOCAL_POINT_FIELDS",
    "ORGANISATION_FIELDS",
    "ORGANISATION_FIELD_ORDER",
    "RESERVED_SLUGS",
    "application_agenda_meetings",
    "application_agenda_placer_register",
    "application_check",
    "application_decide_for_decision",
    "application_put_on_agenda",
    "application_reject",
    "application_submit",
    "contact_save",
    "lifecycle_record",
    "organisation_create",
    "organisation_update",
    "participation_record",
    "unique_slug",
]
