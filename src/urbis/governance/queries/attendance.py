"""Who attends a meeting: accredited delegates, their check-ins, and the register grouped
by role in the order a reader expects.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from urbis.governance import rules
from urbis.governance.models import CheckIn, Delegate, Meeting
from urbis.governance.queries.quorum import attendee_roles_on, quorum_members, quorum_rule_on
from urbis.members.models import Organisation
from urbis.members.queries import with_state


def sort_key(name: str) -> str:
    """Alphabetical order as a reader expects it (São Paulo before Sejong)."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@dataclass(frozen=True)
class AttendanceRow:
    organisation: Organisation
    delegate: Delegate
    mode: str
    mayoral: bool
    quorum: bool
    population: int
    role: str = rules.VOTING  # voting, member (attends without counting) or observer
    arrived_at: dt.datetime | None = None


@dataclass
class AttendanceGroup:
    key: str
    title: str | Promise
    rows: list[tuple[int, AttendanceRow]] = field(default_factory=list)


GROUPS = [
    ("q-on-m", gettext_lazy("On-site attendance (mayoral level)")),
    ("q-online-m", gettext_lazy("Online participation (mayoral level)")),
    ("q-on-n", gettext_lazy("On-site attendance (non-mayoral level, from quorum members)")),
    ("q-online-n", gettext_lazy("Online participation (non-mayoral level, from quorum members)")),
    ("n-on", gettext_lazy("On-site attendance (from non-quorum members)")),
    ("n-online", gettext_lazy("Online participation (from non-quorum members)")),
]


def _group_key(row: AttendanceRow) -> str:
    mode = "on" if row.mode == "on_site" else "online"
    if not row.quorum:
        return f"n-{mode}"
    return f"q-{mode}-{'m' if row.mayoral else 'n'}"


def attendance_rows(meeting: Meeting, *, observers: bool | None = False) -> list[AttendanceRow]:
    """One row per attending member (`observers=True`: per attending observer; None: both),
    chosen by
    `rules.representative` (head of delegation, else the first to arrive; on site if any of
    its delegates is). Who is a voting member, a member attending without counting or an
    observer is statute data (`rules.attendee_role`) on the convocation date; for an EXCOM
    meeting the voting members are the EXCOM's members on the meeting date. Five queries."""
    rule = quorum_rule_on(meeting.date, meeting.body)
    roles = attendee_roles_on(meeting.date, meeting.body)
    eligible = set(quorum_members(meeting, rule).values_list("pk", flat=True))
    check_ins = (
        CheckIn.objects.filter(meeting=meeting)
        .select_related("delegate", "organisation")
        .order_by("at", "id")
    )
    by_org: dict[int, list[CheckIn]] = {}
    for ci in check_ins:
        by_org.setdefault(ci.organisation_id, []).append(ci)
    states = dict(
        with_state(
            Organisation.objects.filter(pk__in=list(by_org)), as_of=meeting.convocation_date
        ).values_list("pk", "state")  # type: ignore[misc]
    )
    rows = []
    for org_id, cis in by_org.items():
        chosen = cis[
            rules.representative(
                [rules.Arrival(ci.delegate.role == "head", ci.mode, ci.at) for ci in cis]
            )
        ]
        org = chosen.organisation
        role = rules.attendee_role(org.category, states.get(org_id, ""), roles)
        if org_id in eligible:
            role = rules.VOTING
        elif role == rules.VOTING:
            role = rules.MEMBER  # e.g. a member of the Assembly at an EXCOM meeting
        if observers is not None and (role == rules.OBSERVER) != observers:
            continue
        rows.append(
            AttendanceRow(
                organisation=org,
                delegate=chosen.delegate,
                mode=rules.attendance_mode([ci.mode for ci in cis]),
                mayoral=chosen.delegate.mayoral_level,
                quorum=role == rules.VOTING,
                population=org.population or 0,
                role=role,
                arrived_at=cis[0].at,
            )
        )
    return sorted(rows, key=lambda r: sort_key(r.organisation.name))


def attendance_groups(rows: Iterable[AttendanceRow]) -> list[AttendanceGroup]:
    """The memorandum's annex: quorum members by mode x mayoral level, then non-quorum
    members by mode; numbered on from 1 across the groups, empty groups left out."""
    groups = {key: AttendanceGroup(key, title) for key, title in GROUPS}
    buckets: dict[str, list[AttendanceRow]] = {key: [] for key, _ in GROUPS}
    for row in rows:
        buckets[_group_key(row)].append(row)
    n = 0
    for key, _ in GROUPS:
        for row in buckets[key]:
            n += 1
            groups[key].rows.append((n, row))
    return [g for g in groups.values() if g.rows]


def register(meeting: Meeting) -> list[Delegate]:
    """The live attendance register: every accredited delegate with its check-in."""
    return list(
        Delegate.objects.filter(meeting=meeting)
        .select_related("organisation", "check_in", "meeting")
        .order_by("organisation__name", "role", "name")
    )


def present_members(meeting: Meeting) -> list[Organisation]:
    """Members with at least one delegate checked in (who may vote)."""
    ids = CheckIn.objects.filter(meeting=meeting).values("organisation_id")
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def delegates(
    meeting: Meeting, *, organisation_id: int | None = None, present: bool | None = None
) -> QuerySet[Delegate]:
    """A meeting's accredited delegates with their check-in, by member then role."""
    qs = (
        Delegate.objects.filter(meeting=meeting)
        .select_related("organisation", "check_in")
        .order_by("organisation__name", "role", "name", "pk")
    )
    if organisation_id is not None:
        qs = qs.filter(organisation_id=organisation_id)
    if present is not None:
        qs = qs.filter(check_in__isnull=not present)
    return qs
