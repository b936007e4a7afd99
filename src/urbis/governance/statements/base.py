"""What the single statements share: the desk key's guard and the prepared cursor."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.backends.utils import CursorWrapper

from urbis.governance.desk import HOLDER_ROLES, DeskKey

# Whether the request may write: always for a signed-in session (checked before, in Python:
# `desk_user` is NULL); for a desk key, its holder must still be active and on the
# secretariat and the key's generation still the meeting's (not revoked). `scope` narrows it
# to what the key's meeting holds.
DESK_GUARD = """
    SELECT %(desk_user)s::bigint IS NULL OR EXISTS (
        SELECT 1 FROM auth_user u
        JOIN governance_meeting km ON km.id = %(desk_meeting)s
        WHERE u.id = %(desk_user)s AND u.is_active
          AND km.desk_key_generation = %(desk_generation)s
          AND LEFT(MD5(u.password || CHR(31) || (
              SELECT COALESCE(STRING_AGG(g2.name, CHR(31) ORDER BY g2.name COLLATE "C"), '')
              FROM auth_user_groups ug2 JOIN auth_group g2 ON g2.id = ug2.group_id
              WHERE ug2.user_id = u.id) || CHR(31) || u.is_superuser::text), 16)
              = %(desk_stamp)s
          AND (u.is_superuser OR EXISTS (
              SELECT 1 FROM auth_user_groups ug JOIN auth_group g ON g.id = ug.group_id
              WHERE ug.user_id = u.id AND g.name = ANY(%(desk_roles)s)))
          AND {scope}
    ) AS ok
"""

DESK_KEY_REFUSED = (
    "This desk key does not hold here: revoked, issued for another meeting, or its holder "
    "may no longer run the meeting."
)


def desk_params(desk: DeskKey | None) -> dict[str, Any]:
    return {
        "desk_user": desk.user_id if desk else None,
        "desk_meeting": desk.meeting_id if desk else None,
        "desk_generation": desk.generation if desk else None,
        "desk_stamp": desk.stamp if desk else None,
        "desk_roles": list(HOLDER_ROLES),
    }


def prepared_cursor() -> CursorWrapper:
    """A cursor whose statements psycopg prepares on the server once the connection has run
    them `prepare_threshold` times (settings: DATABASE_PREPARE_THRESHOLD).

    Django's cursors bind parameters on the client, so every statement reaches PostgreSQL as
    new text and is planned anew. This one binds them on the server; it is wrapped as
    Django wraps its own, so errors, execute wrappers and the query log behave the same.
    """
    from django.db.backends.postgresql.base import ServerBindingCursor

    connection.ensure_connection()
    connection.validate_thread_sharing()
    cursor_class: Any = ServerBindingCursor  # django-stubs knows it without its arguments
    raw = cursor_class(connection.connection)
    if connection.queries_logged:
        return connection.make_debug_cursor(raw)
    return connection.make_cursor(raw)
