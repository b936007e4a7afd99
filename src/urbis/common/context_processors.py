"""Template context: which roles the current user holds (for menus only, never for access)."""

from typing import Any

from urbis.common import roles as role_rules


def roles(request: Any) -> dict[str, Any]:
    user = request.user
    return {
        "urbis_roles": {
            "is_secretariat": role_rules.is_secretariat(user),
            "is_admin": role_rules.is_admin(user),
            "is_excom": role_rules.is_excom(user),
            "is_evaluator": role_rules.is_evaluator(user),
            "is_focal_point": role_rules.has_role(user, role_rules.FOCAL_POINT)
            and not getattr(user, "is_superuser", False),
        }
    }
