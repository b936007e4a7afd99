"""The roles of the design, as Django groups, and predicates over them.

Object-level rules (a focal point and *its own* member) live in each app's
`permissions.py`; this module only knows who holds which role.
"""

from __future__ import annotations

from typing import Any

import rules

ADMIN = "secretariat admin"
STAFF = "secretariat staff"
EXCOM = "EXCOM member"
FOCAL_POINT = "member focal point"
EVALUATOR = "evaluator"

ALL_ROLES = (ADMIN, STAFF, EXCOM, FOCAL_POINT, EVALUATOR)


def remember_roles(user: Any, names: Any) -> None:
    """Attach the user's role names, loaded elsewhere (see `urbis.common.auth`), so that
    `has_role` needs no query of its own for the rest of the request."""
    user._urbis_roles = {n for n in names if n}


def has_role(user: Any, role: str) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_urbis_roles", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._urbis_roles = cached
    return role in cached


@rules.predicate
def is_admin(user: Any) -> bool:
    return has_role(user, ADMIN)


@rules.predicate
def is_secretariat(user: Any) -> bool:
    """Admin or staff of the secretariat."""
    return has_role(user, ADMIN) or has_role(user, STAFF)


@rules.predicate
def is_excom(user: Any) -> bool:
    return has_role(user, EXCOM)


@rules.predicate
def is_evaluator(user: Any) -> bool:
    return has_role(user, EVALUATOR)
