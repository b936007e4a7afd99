"""Reads of a meeting's accreditation: per member (or observer), who heads its delegation,
how many delegates it has accredited and whether it is present, on site or online.

Who counts is statute data, as in the register (`queries.attendance_rows`): members that
count for the quorum, members that attend without counting, and observers, listed apart.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from urbis.governance import rules
from urbis.governance.models import Delegate, Meeting
from urbis.governance.queries.attendance import sort_key
from urbis.governance.queries.quorum import attendee_roles_on, quorum_members, quorum_rule_on
from urbis.members.models import Organisation
from urbis.members.queries import with_state


@dataclass(frozen=True)
class AccreditationRow:
    organisation: Organisation
    role: str  # rules.VOTING, rules.MEMBER or rules.OBSERVER
    head: Delegate | None
    delegates: list[Delegate]
    attendance: str  # "on_site", "online" or "" (absent)
    arrived_at: dt.datetime | None

    @property
    def role_label(self) -> str:
        return {
            rules.VOTING: "Counts for the quorum",
            rules.MEMBER: "Member, not counted",
            rules.OBSERVER: "Observer",
        }[self.role]

    @property
    def attendance_label(self) -> str:
        return {"on_site": "On site", "online": "Online"}.get(self.attendance, "Absent")

    @property
    def emails(self) -> list[str]:
        return [d.email for d in self.delegates if d.email]


def accreditation(meeting: Meeting, *, q: str = "") -> list[AccreditationRow]:
    """One row per organisation with an accredited delegate, members first then observers,
    each by name; `q` keeps the rows whose member, head or delegate names contain it
    (accents and case ignored). Four queries."""
    rule = quorum_rule_on(meeting.date, meeting.body)
    roles = attendee_roles_on(meeting.date, meeting.body)
    eligible = set(quorum_members(meeting, rule).values_list("pk", flat=True))
    delegates = list(
        Delegate.objects.filter(meeting=meeting)
        .select_related("organisation", "check_in")
        .order_by("pk")
    )
    by_org: dict[int, list[Delegate]] = {}
    for d in delegates:
        by_org.setdefault(d.organisation_id, []).append(d)
    states = dict(
        with_state(
            Organisation.objects.filter(pk__in=list(by_org)), as_of=meeting.convocation_date
        ).values_list("pk", "state")  # type: ignore[misc]
    )
    needle = sort_key(q.strip())
    rows = []
    for org_id, group in by_org.items():
        org = group[0].organisation
        if needle and not any(
            needle in sort_key(text) for text in [org.name, *(d.name for d in group)]
        ):
            continue
        role = rules.attendee_role(org.category, states.get(org_id, ""), roles)
        if org_id in eligible:
            role = rules.VOTING
        elif role == rules.VOTING:
            role = rules.MEMBER
        present = [d.check_in for d in group if hasattr(d, "check_in")]
        rows.append(
            AccreditationRow(
                organisation=org,
                role=role,
                head=next((d for d in group if d.role == Delegate.Role.HEAD), None),
                delegates=group,
                attendance=rules.attendance_mode([c.mode for c in present]) if present else "",
                arrived_at=min((c.at for c in present), default=None),
            )
        )
    return sorted(rows, key=lambda r: (r.role == rules.OBSERVER, sort_key(r.organisation.name)))
