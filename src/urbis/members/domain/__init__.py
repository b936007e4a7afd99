"""Writes to the members app, one module per concern (registry.py, ...)."""

from urbis.members.domain.registry import (
    FOCAL_POINT_FIELDS,
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
    "RESERVED_SLUGS",
    "contact_save",
    "lifecycle_record",
    "organisation_create",
    "organisation_update",
    "participation_record",
    "unique_slug",
]
