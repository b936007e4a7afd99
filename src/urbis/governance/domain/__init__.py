"""Writes of governance. Each function runs in one transaction and leaves an audit record.

One module per part of the statutes' world: `statutes`, `offices`, `meetings`,
`attendance`, `desk_keys`, `votes` (votes and decisions), `polls` (polls, ballots,
proxies). Callers import from here.
"""

from urbis.governance.domain.attendance import (
    EventAttendanceImport,
    attendance_check_in,
    attendance_check_in_by_id,
    attendance_check_out,
    attendance_import_from_event,
    delegate_accredit,
)
from urbis.governance.domain.desk_keys import (
    IssuedDeskKey,
    desk_key_issue,
    desk_key_user,
    desk_keys_revoke,
)
from urbis.governance.domain.lifecycle import (
    MeetingClosedError,
    ensure_open,
    erratum_record,
    meeting_conclude,
    meeting_convene,
    meeting_open,
    meeting_record_published,
    minutes_approve,
    minutes_publish,
)
from urbis.governance.domain.meetings import (
    ITEM_FIELDS,
    MEETING_FIELDS,
    agenda_item_delete,
    agenda_item_save,
    candidate_add,
    candidate_remove,
    meeting_delete,
    meeting_save,
)
from urbis.governance.domain.offices import office_term_record, office_terms_succeed
from urbis.governance.domain.polls import (
    AlreadyVotedError,
    NotEligibleError,
    PollClosedError,
    VoteReceipt,
    poll_close,
    poll_open,
    poll_runoff_open,
    poll_vote_cast,
    proxy_grant,
    proxy_revoke,
)
from urbis.governance.domain.snapshots import snapshot
from urbis.governance.domain.statutes import amendment_propose, article_save, quorum_rule_set
from urbis.governance.domain.votes import (
    VOTING_METHODS,
    CastVote,
    decide_locked,
    decision_record,
    vote_cast,
    vote_cast_by_id,
)

__all__ = [
    "ITEM_FIELDS",
    "MEETING_FIELDS",
    "VOTING_METHODS",
    "AlreadyVotedError",
    "CastVote",
    "EventAttendanceImport",
    "IssuedDeskKey",
    "MeetingClosedError",
    "NotEligibleError",
    "PollClosedError",
    "VoteReceipt",
    "agenda_item_delete",
    "agenda_item_save",
    "amendment_propose",
    "article_save",
    "attendance_check_in",
    "attendance_check_in_by_id",
    "attendance_check_out",
    "attendance_import_from_event",
    "candidate_add",
    "candidate_remove",
    "decide_locked",
    "decision_record",
    "delegate_accredit",
    "desk_key_issue",
    "desk_key_user",
    "desk_keys_revoke",
    "ensure_open",
    "erratum_record",
    "meeting_conclude",
    "meeting_convene",
    "meeting_delete",
    "meeting_open",
    "meeting_record_published",
    "meeting_save",
    "minutes_approve",
    "minutes_publish",
    "office_term_record",
    "office_terms_succeed",
    "poll_close",
    "poll_open",
    "poll_runoff_open",
    "poll_vote_cast",
    "proxy_grant",
    "proxy_revoke",
    "quorum_rule_set",
    "snapshot",
    "vote_cast",
    "vote_cast_by_id",
]
