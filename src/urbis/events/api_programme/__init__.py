"""REST endpoints that create, change and delete the programme: events, sessions, sponsors
(under /events) and venues (under /venues).

Reads follow the pages: a published event and its programme are public, an unpublished one
exists only for the secretariat (404 for anyone else). Writes need a caller (session or
token) holding `events.change_programme` (the secretariat; 403 otherwise, before the handler
runs). A session's `day`, `start_time` and `end_time` are wall-clock values in the event's
time zone, both ways; `starts_at` and `ends_at` are the same instants in UTC. Errors have
the API's one body (`ErrorOut`): 422 `{"detail": ..., "errors": {field: [messages]}}`, a
delete that would lose registrations, check-ins or sessions 409 `{"detail": message}`.

One module per resource (`events`, `sessions`, `sponsors`, `venues`), all registering on
the routers of `base`, with the request and answer schemas in `schemas`. Each operation
names its `operation_id`, so the ids the API document published before the split stay.
"""

from urbis.events.api_programme.base import (
    DELETE_ERRORS,
    PERM,
    WRITE_ERRORS,
    router,
    venues_router,
)
from urbis.events.api_programme.events import (
    event_create,
    event_delete,
    event_detail,
    event_list,
    event_update,
)
from urbis.events.api_programme.schemas import (
    EventFilters,
    EventIn,
    EventPatch,
    PersonIO,
    PlaceIO,
    SessionDetailOut,
    SessionFilters,
    SessionIn,
    SessionPatch,
    SponsorDetailOut,
    SponsorIn,
    SponsorPatch,
    VenueFilters,
    VenueIn,
    VenueOut,
    VenuePatch,
)
from urbis.events.api_programme.sessions import (
    session_create,
    session_delete,
    session_detail,
    session_list,
    session_out,
    session_update,
)
from urbis.events.api_programme.sponsors import (
    sponsor_create,
    sponsor_delete,
    sponsor_detail,
    sponsor_list,
    sponsor_update,
)
from urbis.events.api_programme.venues import (
    venue_create,
    venue_delete,
    venue_detail,
    venue_list,
    venue_update,
)

__all__ = [
    "DELETE_ERRORS",
    "PERM",
    "WRITE_ERRORS",
    "EventFilters",
    "EventIn",
    "EventPatch",
    "PersonIO",
    "PlaceIO",
    "SessionDetailOut",
    "SessionFilters",
    "SessionIn",
    "SessionPatch",
    "SponsorDetailOut",
    "SponsorIn",
    "SponsorPatch",
    "VenueFilters",
    "VenueIn",
    "VenueOut",
    "VenuePatch",
    "event_create",
    "event_delete",
    "event_detail",
    "event_list",
    "event_update",
    "router",
    "session_create",
    "session_delete",
    "session_detail",
    "session_list",
    "session_out",
    "session_update",
    "sponsor_create",
    "sponsor_delete",
    "sponsor_detail",
    "sponsor_list",
    "sponsor_update",
    "venue_create",
    "venue_delete",
    "venue_detail",
    "venue_list",
    "venue_update",
    "venues_router",
]
