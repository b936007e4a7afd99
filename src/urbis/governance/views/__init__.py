"""Governance pages. Views parse input, call a query or a domain function, and render.

One module per audience and moment: `public` (meetings, offices, statutes and memoranda
anyone may read), `running` (the meeting on the day: the live page, the run console,
check-in, votes and decisions), `preparing` (the secretariat's workspace: meetings, agenda
items, candidates, the lifecycle and errata); `base` holds the input helpers they share.
`urls.py` names the views through this package.
"""

from urbis.governance.views.base import RUN
from urbis.governance.views.preparing import (
    candidate_add,
    candidate_remove,
    erratum_add,
    item_delete,
    item_save,
    lifecycle,
    meeting_edit,
    meeting_new,
    workspace,
)
from urbis.governance.views.public import (
    meeting_detail,
    meeting_list,
    memorandum,
    memorandum_pdf,
    offices,
    statutes,
)
from urbis.governance.views.running import (
    check_in,
    decide,
    desk_key_issue,
    desk_keys_revoke,
    import_attendance,
    live,
    quorum_panel,
    run,
    vote,
)

__all__ = [
    "RUN",
    "candidate_add",
    "candidate_remove",
    "check_in",
    "decide",
    "desk_key_issue",
    "desk_keys_revoke",
    "erratum_add",
    "import_attendance",
    "item_delete",
    "item_save",
    "lifecycle",
    "live",
    "meeting_detail",
    "meeting_edit",
    "meeting_list",
    "meeting_new",
    "memorandum",
    "memorandum_pdf",
    "offices",
    "quorum_panel",
    "run",
    "statutes",
    "vote",
    "workspace",
]
