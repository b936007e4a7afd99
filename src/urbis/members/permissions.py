"""Who may do what with the registry (django-rules predicates, object-level where it matters).

Pages check these with `@actor_required(perm, obj=…)`, API operations with
`@permission_required` (templates with `{% has_perm %}`);
the field lists say which fields each role may change, so that forms offer nothing more.
"""

from __future__ import annotations

from typing import Any

import rules

from urbis.common.roles import is_excom, is_secretariat
from urbis.members.domain import FOCAL_POINT_FIELDS, ORGANISATION_FIELD_ORDER


@rules.predicate
def is_focal_point_of(user: Any, organisation: Any) -> bool:
    """The user signs in as a focal point of this very organisation."""
    if organisation is None or not getattr(user, "is_authenticated", False):
        return False
    return organisation.contacts.filter(user=user, is_focal_point=True).exists()


rules.add_perm("members.view_mine", rules.is_authenticated)
rules.add_perm("members.view_registry_internal", is_secretariat | is_excom)
rules.add_perm("members.view_audit", is_secretariat | is_excom)
rules.add_perm("members.view_contacts", is_secretariat | is_excom | is_focal_point_of)
rules.add_perm("members.add_organisation", is_secretariat)
rules.add_perm("members.view_applications", is_secretariat | is_excom)
rules.add_perm("members.manage_applications", is_secretariat)
rules.add_perm("members.change_organisation", is_secretariat | is_focal_point_of)
rules.add_perm("members.record_lifecycle", is_secretariat)
rules.add_perm("members.record_participation", is_secretariat)
rules.add_perm("members.import_organisations", is_secretariat)
rules.add_perm("members.export_organisations", is_secretariat)
rules.add_perm("members.change_contacts", is_secretariat | is_focal_point_of)

# Profile fields in the order the form shows them.
ORGANISATION_FORM_FIELDS = ORGANISATION_FIELD_ORDER

# Contact fields; a focal point may not grant sign-in rights (focal point flag, linked user).
CONTACT_FIELDS = (
    "name",
    "position",
    "email",
    "phone",
    "mayoral_level",
    "language",
    "is_focal_point",
    "user",
)
FOCAL_POINT_CONTACT_FIELDS = ("name", "position", "email", "phone", "mayoral_level", "language")


def organisation_fields_for(user: Any) -> tuple[str, ...]:
    """The profile fields `user` may change (on an organisation it may change at all)."""
    if is_secretariat(user):
        return ORGANISATION_FORM_FIELDS
    return tuple(f for f in ORGANISATION_FORM_FIELDS if f in FOCAL_POINT_FIELDS)


def contact_fields_for(user: Any) -> tuple[str, ...]:
    """The contact fields `user` may set (on contacts of an organisation it may change)."""
    return CONTACT_FIELDS if is_secretariat(user) else FOCAL_POINT_CONTACT_FIELDS
