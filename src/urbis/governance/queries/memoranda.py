"""The memorandum to a meeting: membership changes since the previous meeting, the
officers chosen, and the next Assembly.

Kept together because the memorandum is read as one document.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, IntegerField, Value, When
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from urbis.governance import rules
from urbis.governance.models import AgendaItem, Decision, Meeting, OfficeKind, OfficeTerm
from urbis.governance.queries.attendance import (
    AttendanceGroup,
    AttendanceRow,
    attendance_groups,
    attendance_rows,
)
from urbis.governance.queries.items import agenda
from urbis.governance.queries.offices import terms_on
from urbis.governance.queries.polls import poll_results_for_meeting
from urbis.governance.queries.quorum import quorum_for, quorum_rule_on
from urbis.members.models import Category, LifecycleEvent, Organisation


@dataclass(frozen=True)
class ChangeRow:
    organisation: Organisation
    kind: str
    date: dt.date
    reason: str
    decision_ref: str


@dataclass(frozen=True)
class NextAssembly:
    """Derived from the selection decision: the next Assembly's number and its host."""

    number: int | None
    host: Organisation
    item: AgendaItem


def next_assembly(meeting: Meeting, items: list[AgendaItem]) -> NextAssembly | None:
    """The host selected by the meeting's adopted selection item, and the number of the
    Assembly it will host (the one after this Assembly's; unknown for an EXCOM meeting)."""
    for item in items:
        decision = getattr(item, "decision", None)
        if item.kind != "selection" or decision is None or decision.result != "adopted":
            continue
        chosen = [c for c in item.candidates.all() if c.status == "selected"]
        if len(chosen) == 1:
            number = meeting.number + 1 if meeting.body == "ga" and meeting.number else None
            return NextAssembly(number, chosen[0].organisation, item)
    return None


@dataclass
class Memorandum:
    meeting: Meeting
    quorum: rules.QuorumState
    quorum_rule: rules.QuorumFraction
    quorum_source: str
    counted_labels: list[str]
    groups: list[AttendanceGroup]
    attendee_counts: list[tuple[str, int]]
    items: list[AgendaItem]
    changes: dict[str | Promise, list[ChangeRow]]
    amendments: list[Any]
    officers: list[OfficeTerm]
    observers: list[AttendanceRow] = field(default_factory=list)
    officers_chosen: list[OfficeTerm] = field(default_factory=list)
    changes_since: dt.date | None = None
    show_changes: bool = True
    errata: list[Any] = field(default_factory=list)
    electorate: str = ""
    next_assembly: NextAssembly | None = None
    attendance_by_category: list[tuple[str, int]] = field(default_factory=list)

    def attendee_phrases(self) -> list[str]:
        """ "7 local governments", "1 corporation": the attendees by category, most first,
        in the active language."""
        return [attendees_phrase(c, n) for c, n in self.attendance_by_category]


def attendees_phrase(category: str, n: int) -> str:
    """`n` members of `category` attended, as the memorandum says it."""
    if category == Category.LOCAL_GOVERNMENT:
        text = ngettext("%(count)s local government", "%(count)s local governments", n)
    elif category == Category.INSTITUTION:
        text = ngettext("%(count)s institution", "%(count)s institutions", n)
    elif category == Category.CORPORATION:
        text = ngettext("%(count)s corporation", "%(count)s corporations", n)
    else:
        return f"{Category(category).label}: {n}"
    return text % {"count": n}


def counted_categories_text(categories: list[str]) -> str:
    """The categories that count for the quorum, in the plural ("local governments,
    corporations"), in the active language."""
    plural: dict[str, str] = {
        Category.LOCAL_GOVERNMENT: gettext("local governments"),
        Category.INSTITUTION: gettext("institutions"),
        Category.CORPORATION: gettext("corporations"),
    }
    return ", ".join(plural.get(c, str(Category(c).label)) for c in categories)


CHANGE_KINDS: list[tuple[str, str | Promise]] = [
    ("approved", _("New members")),
    ("withdrawn", _("Withdrawals")),
    ("suspended", _("Suspensions")),
    ("terminated", _("Terminations")),
]


def membership_changes(
    since: dt.date | None, until: dt.date
) -> dict[str | Promise, list[ChangeRow]]:
    """Registry events after `since` up to `until`, by kind (one query)."""
    qs = LifecycleEvent.objects.filter(
        date__lte=until, kind__in=[k for k, _ in CHANGE_KINDS]
    ).select_related("organisation")
    if since is not None:
        qs = qs.filter(date__gt=since)
    out: dict[str | Promise, list[ChangeRow]] = {label: [] for _kind, label in CHANGE_KINDS}
    labels = dict(CHANGE_KINDS)
    for e in qs.order_by("organisation__category", "organisation__name", "date"):
        out[labels[e.kind]].append(
            ChangeRow(e.organisation, e.organisation.category, e.date, e.reason, e.decision_ref)
        )
    return out


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The previous meeting of the same body (by date)."""
    return (
        Meeting.objects.filter(body=meeting.body, date__lt=meeting.date)
        .order_by("-date", "-pk")
        .first()
    )


def changes_since(meeting: Meeting) -> dt.date | None:
    """Derived, never typed: the memorandum reports membership changes since the previous
    meeting of the same body. The first meeting on record falls back to its own field (the
    date of an earlier meeting that urbis does not hold)."""
    previous = previous_meeting(meeting)
    return previous.date if previous is not None else meeting.changes_since


def officers_chosen(meeting: Meeting) -> list[OfficeTerm]:
    """The office terms the meeting's decisions produced (regional offices apart)."""
    rank = Case(
        *(When(kind=kind, then=Value(i)) for i, kind in enumerate(OfficeKind.values)),
        output_field=IntegerField(),
    )
    return list(
        OfficeTerm.objects.filter(agenda_item__meeting=meeting)
        .exclude(kind=OfficeKind.REGIONAL_OFFICE)
        .select_related("organisation")
        .order_by(rank, "organisation__name", "start")
    )


def memorandum(meeting: Meeting) -> Memorandum:
    """Everything the memorandum of a meeting states, computed from the data.

    The quorum is the one recorded with the meeting's first decision taken with the quorum
    met (what the assembly acted on); without decisions, the live quorum. Observers are
    listed apart and never counted. The membership annex belongs to the General Assembly;
    an EXCOM meeting has one only when its agenda approves a membership review.
    """
    rule = quorum_rule_on(meeting.date, meeting.body)
    recorded = (
        Decision.objects.filter(agenda_item__meeting=meeting, quorum_met=True)
        .order_by("decided_at", "id")
        .first()
    )
    if recorded is not None:
        quorum = rules.QuorumState(
            present=recorded.quorum_present,
            eligible=recorded.quorum_eligible,
            required=recorded.quorum_required,
            met=recorded.quorum_met,
            population=recorded.population_represented,
            numerator=rule.numerator,
            denominator=rule.denominator,
        )
        source = gettext("recorded with the decisions")
    else:
        quorum, source = quorum_for(meeting), gettext("live")
    every = attendance_rows(meeting, observers=None)
    rows = [r for r in every if r.role != rules.OBSERVER]
    labels = dict(Category.choices)
    by_category: dict[str, int] = {}
    for row in rows:
        by_category[row.organisation.category] = by_category.get(row.organisation.category, 0) + 1
    by_size = sorted(by_category.items(), key=lambda kv: -kv[1])
    counts = [(str(labels[c]), n) for c, n in by_size]
    items = agenda(meeting)
    rounds = poll_results_for_meeting(meeting)
    for item in items:
        # Every closed round of voting on the item, first round first (the template's).
        setattr(item, "poll_rounds", rounds.get(item.pk, []))  # noqa: B010
    amendments = [a for item in items for a in item.amendments.all()]
    chosen = officers_chosen(meeting)
    replaced = {t.kind for t in chosen}
    on_date = [
        t
        for t in terms_on(meeting.date)
        if t.kind != OfficeKind.REGIONAL_OFFICE and t.kind not in replaced
    ]
    rank = {kind: i for i, kind in enumerate(OfficeKind.values)}
    # The officers the decisions produced, and for the other offices who held them that day.
    officers = sorted(chosen + on_date, key=lambda t: rank[t.kind])
    since = changes_since(meeting)
    show_changes = meeting.body == "ga" or any(i.membership_review_ref for i in items)
    if meeting.body == "excom":
        electorate = gettext("the members of the Executive Committee on the day of the meeting")
    else:
        counted = counted_categories_text(sorted(rule.counted_categories))
        electorate = gettext("%(categories)s in good standing on the convocation date") % {
            "categories": counted
        }
    return Memorandum(
        meeting=meeting,
        quorum=quorum,
        quorum_rule=rule,
        quorum_source=source,
        counted_labels=[counted_categories_text([c]) for c in sorted(rule.counted_categories)],
        groups=attendance_groups(rows),
        attendee_counts=counts,
        attendance_by_category=by_size,
        items=items,
        changes=membership_changes(since, meeting.date) if show_changes else {},
        amendments=amendments,
        officers=officers,
        observers=[r for r in every if r.role == rules.OBSERVER],
        officers_chosen=chosen,
        changes_since=since,
        show_changes=show_changes,
        errata=list(meeting.errata.order_by("on", "id")),
        electorate=electorate,
        next_assembly=next_assembly(meeting, items),
    )
