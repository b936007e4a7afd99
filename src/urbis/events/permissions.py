"""Who may do what with events (django-rules; object-level for a member's own delegates)."""

from __future__ import annotations

from typing import Any

import rules

from urbis.common.roles import is_secretariat
from urbis.members.permissions import is_focal_point_of


@rules.predicate
def is_focal_point_of_registrant(user: Any, registration: Any) -> bool:
    """The user is a focal point of the registration's organisation."""
    if registration is None:
        return False
    return bool(is_focal_point_of(user, registration.organisation))


@rules.predicate
def is_any_focal_point(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.contacts.filter(is_focal_point=True).exists())


# object: an Organisation (whose delegates are registered)
rules.add_perm("events.register_delegate", is_secretariat | is_focal_point_of)
rules.add_perm("events.view_registrations", is_secretariat | is_any_focal_point)
# object: a Registration
rules.add_perm("events.view_registration", is_secretariat | is_focal_point_of_registrant)
rules.add_perm("events.print_badge", is_secretariat | is_focal_point_of_registrant)
rules.add_perm("events.approve_registration", is_secretariat)
rules.add_perm("events.check_in", is_secretariat)
rules.add_perm("events.export_participants", is_secretariat)
rules.add_perm("events.change_programme", is_secretariat)
