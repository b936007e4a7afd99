"""REST endpoints of the registry: handlers parse, call one query or domain function, serialise.

Reads of the public directory are open; writes and internal reads need an actor
(`ACTOR_AUTH`: a personal token or a CSRF-checked session) holding the rule named in
`members/permissions.py`, checked by `@permission_required` before the handler runs. Domain
`ValidationError` becomes 422 `{"detail": ..., "errors": {field: [messages]}}` and
`PermissionDenied` 403 (handlers in `urbis.config.api`, one body for every app).
"""

from urbis.members import queries
from urbis.members.api import applications, messages, mine, registry, schemas
from urbis.members.api.applications import (
    application_act,
    application_create,
    application_detail,
    application_list,
)
from urbis.members.api.base import router
from urbis.members.api.messages import segment_message_create, segment_message_preview
from urbis.members.api.mine import mine as mine_op
from urbis.members.api.registry import (
    contact_create,
    contact_list,
    contact_update,
    lifecycle_create,
    lifecycle_list,
    membership_counts,
    organisation_create,
    organisation_detail,
    organisation_list,
    organisation_update,
    organisations_export_file,
    organisations_import,
    participation_create,
    participation_list,
)

__all__ = [
    "application_act",
    "application_create",
    "application_detail",
    "application_list",
    "applications",
    "contact_create",
    "contact_list",
    "contact_update",
    "lifecycle_create",
    "lifecycle_list",
    "membership_counts",
    "messages",
    "mine",
    "mine_op",
    "organisation_create",
    "organisation_detail",
    "organisation_list",
    "organisation_update",
    "organisations_export_file",
    "organisations_import",
    "participation_create",
    "participation_list",
    "queries",
    "registry",
    "router",
    "schemas",
    "segment_message_create",
    "segment_message_preview",
]
