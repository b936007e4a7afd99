"""Staff pages that prepare an event: the events list, an event's workspace (programme
editor, venues, sponsors, registration settings), forms and delete confirmations.

Each view parses a form and calls one domain function; the domain's field errors are shown
on the form's fields, and a refused delete comes back as a message on the workspace.

One module per thing prepared (`event_pages`, `session_pages`, `sponsor_pages`,
`venue_pages`); `base` holds the form and confirmation helpers they share. `urls.py` names
the views through this package.
"""

from urbis.events.views_manage.base import PERM, T
from urbis.events.views_manage.event_pages import (
    event_delete,
    event_edit,
    event_new,
    manage,
    workspace,
)
from urbis.events.views_manage.session_pages import (
    session_delete,
    session_edit,
    session_new,
)
from urbis.events.views_manage.sponsor_pages import (
    sponsor_delete,
    sponsor_edit,
    sponsor_new,
)
from urbis.events.views_manage.venue_pages import (
    venue_delete,
    venue_edit,
    venue_new,
    venues,
)

__all__ = [
    "PERM",
    "T",
    "event_delete",
    "event_edit",
    "event_new",
    "manage",
    "session_delete",
    "session_edit",
    "session_new",
    "sponsor_delete",
    "sponsor_edit",
    "sponsor_new",
    "venue_delete",
    "venue_edit",
    "venue_new",
    "venues",
    "workspace",
]
