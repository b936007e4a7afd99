"""Authentication backend that loads the user's roles with the user.

Every API write and most pages check a role. Django's backend loads the user on each request
and the role check then costs a query of its own; here the user row and the names of its
groups come back in one query, and `roles.has_role` reads them from the user object.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Aggregate, CharField

from urbis.common import roles

SEPARATOR = "\x1f"  # the ASCII unit separator: never in a group name typed by a person


class GroupNames(Aggregate):
    """The names of the groups, joined by SEPARATOR (NULL when there are none)."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, CHR(31))"
    output_field = CharField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            function="GROUP_CONCAT",
            template="%(function)s(%(expressions)s, CHAR(31))",
            **extra,
        )


class RoleLoadingBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        User = get_user_model()
        try:
            user = User._default_manager.annotate(group_names=GroupNames("groups__name")).get(
                pk=user_id
            )
        except User.DoesNotExist:
            return None
        roles.remember_roles(user, (user.group_names or "").split(SEPARATOR))
        return user if self.user_can_authenticate(user) else None
