"""REST endpoints to prepare, run and minute a meeting: meetings, agenda items, candidates,
delegates, the attendance register, the lifecycle and errata.

Handlers parse, call one domain or query function, serialise; writes need
`governance.run_meeting`, checked at the edge (`ACTOR_AUTH`, `@permission_required`). Every
output carries its `id`; lists are paginated. A write to a concluded meeting's record is a
409 with the reason (`MeetingClosedError` is a `Conflict`); any other refused input a 422
naming the field.

One module per part of a meeting (`meetings`, `lifecycle` with the errata, `items` with
their candidates, `delegates` with the attendance register), all registering on the router
of `base`; they are imported in the order their operations appear in the API document. Each
operation names its `operation_id`, so the ids published before the split stay.
"""

# The operations register on the router in this order, the order of the API document.
from urbis.governance.api_meetings.base import RUN, router

# isort: split
from urbis.governance.api_meetings.meetings import (
    MeetingCreateIn,
    MeetingIn,
    MeetingOut,
    meeting_create,
    meeting_delete,
    meeting_detail,
    meeting_list,
    meeting_update,
)

# isort: split
from urbis.governance.api_meetings.lifecycle import (
    ApproveIn,
    ConveneIn,
    ErratumIn,
    ErratumOut,
    errata,
    erratum_record,
    meeting_conclude,
    meeting_convene,
    meeting_open,
    minutes_approve,
    minutes_publish,
)

# isort: split
from urbis.governance.api_meetings.items import (
    CandidateIn,
    CandidateOut,
    ItemCreateIn,
    ItemIn,
    ItemOut,
    candidate_add,
    candidate_list,
    candidate_remove,
    item_create,
    item_delete,
    item_detail,
    item_list,
    item_update,
)

# isort: split
from urbis.governance.api_meetings.delegates import (
    AttendeeOut,
    DelegateIn,
    DelegateOut,
    MeetingAttendanceOut,
    attendance,
    check_out,
    delegate_accredit,
    delegate_list,
)

__all__ = [
    "RUN",
    "ApproveIn",
    "AttendeeOut",
    "CandidateIn",
    "CandidateOut",
    "ConveneIn",
    "DelegateIn",
    "DelegateOut",
    "ErratumIn",
    "ErratumOut",
    "ItemCreateIn",
    "ItemIn",
    "ItemOut",
    "MeetingAttendanceOut",
    "MeetingCreateIn",
    "MeetingIn",
    "MeetingOut",
    "attendance",
    "candidate_add",
    "candidate_list",
    "candidate_remove",
    "check_out",
    "delegate_accredit",
    "delegate_list",
    "errata",
    "erratum_record",
    "item_create",
    "item_delete",
    "item_detail",
    "item_list",
    "item_update",
    "meeting_conclude",
    "meeting_convene",
    "meeting_create",
    "meeting_delete",
    "meeting_detail",
    "meeting_list",
    "meeting_open",
    "meeting_update",
    "minutes_approve",
    "minutes_publish",
    "router",
]
