"""Reads of governance: quorum, office holders on a date, attendance, statutes in force."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)

from urbis.governance import rules
from urbis.governance.models import (
    AgendaItem,
    Article,
    ArticleVersion,
    CheckIn,
    Decision,
    Delegate,
    Meeting,
    OfficeKind,
    OfficeTerm,
    QuorumRule,
    Vote,
)
from urbis.members.models import Category, LifecycleEvent, Organisation
from urbis.members.queries import with_state


def quorum_rule_on(on: dt.date) -> rules.QuorumFraction:
    """The Art. 16(2) statute data in force on a date (one query)."""
    row = QuorumRule.objects.filter(effective_from__lte=on).order_by("-effective_from").first()
    if row is None:
        raise rules.GovernanceError(f"No quorum rule (Art. 16(2)) is in force on {on}.")
    return rules.QuorumFraction(
        numerator=row.numerator,
        denominator=row.denominator,
        counted_categories=frozenset(row.counted_categories),
        counted_states=frozenset(row.counted_states),
        article=row.article,
    )


def quorum_members(meeting: Meeting, rule: rules.QuorumFraction) -> QuerySet[Organisation]:
    """Members that count for the quorum (Art. 16(2)). For the General Assembly: the
    categories and states the statute data names, from the registry as of the convocation
    date. For the Executive Committee: its members on the day of the meeting."""
    if meeting.body == "excom":
        excom = OfficeTerm.objects.filter(kind=OfficeKind.EXCOM_MEMBER, start__lte=meeting.date)
        excom = excom.filter(Q(end__isnull=True) | Q(end__gte=meeting.date))
        return Organisation.objects.filter(pk__in=excom.values("organisation_id"))
    qs = with_state(
        Organisation.objects.filter(category__in=sorted(rule.counted_categories)),
        as_of=meeting.convocation_date,
    )
    return qs.filter(state__in=sorted(rule.counted_states))  # type: ignore[misc]


def quorum_for(meeting: Meeting) -> rules.QuorumState:
    """The live quorum of a meeting in two queries, whatever the attendance: the rule in
    force, then one aggregate of eligible members, those present and their population."""
    rule = quorum_rule_on(meeting.date)
    present = CheckIn.objects.filter(meeting_id=meeting.pk, organisation_id=OuterRef("pk"))
    agg = (
        quorum_members(meeting, rule)
        .annotate(is_present=Exists(present))
        .aggregate(
            eligible=Count("id"),
            present=Count("id", filter=Q(is_present=True)),
            population=Sum("population", filter=Q(is_present=True)),
        )
    )
    return rules.quorum_state(
        present=agg["present"],
        eligible=agg["eligible"],
        rule=rule,
        population=agg["population"] or 0,
    )


def terms_on(on: dt.date, *, kind: str = "") -> QuerySet[OfficeTerm]:
    """Who held which office on a date (terms are inclusive; an open end runs on)."""
    qs = OfficeTerm.objects.filter(start__lte=on).filter(Q(end__isnull=True) | Q(end__gte=on))
    if kind:
        qs = qs.filter(kind=kind)
    rank = Case(
        *(When(kind=kind, then=Value(i)) for i, kind in enumerate(OfficeKind.values)),
        output_field=IntegerField(),
    )
    return qs.select_related("organisation").order_by(
        rank, "region", "organisation__name", "person_name"
    )


def holder_on(kind: str, on: dt.date) -> OfficeTerm | None:
    """The single holder of a single-holder office on a date, if any."""
    return terms_on(on, kind=kind).order_by("-start").first()


def article_text_on(number: int, on: dt.date) -> ArticleVersion | None:
    return (
        ArticleVersion.objects.filter(article__number=number, effective_from__lte=on)
        .order_by("-effective_from")
        .first()
    )


def articles_with_text(on: dt.date) -> list[tuple[Article, ArticleVersion | None]]:
    versions: dict[int, ArticleVersion] = {}
    for v in ArticleVersion.objects.filter(effective_from__lte=on).order_by("effective_from"):
        versions[v.article_id] = v
    return [(a, versions.get(a.pk)) for a in Article.objects.prefetch_related("amendments")]


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


@dataclass
class AttendanceGroup:
    key: str
    title: str
    rows: list[tuple[int, AttendanceRow]] = field(default_factory=list)


GROUPS = [
    ("q-on-m", "On-site attendance (mayoral level)"),
    ("q-online-m", "Online participation (mayoral level)"),
    ("q-on-n", "On-site attendance (non-mayoral level, from quorum members)"),
    ("q-online-n", "Online participation (non-mayoral level, from quorum members)"),
    ("n-on", "On-site attendance (from non-quorum members)"),
    ("n-online", "Online participation (from non-quorum members)"),
]


def _group_key(row: AttendanceRow) -> str:
    mode = "on" if row.mode == "on_site" else "online"
    if not row.quorum:
        return f"n-{mode}"
    return f"q-{mode}-{'m' if row.mayoral else 'n'}"


def attendance_rows(meeting: Meeting) -> list[AttendanceRow]:
    """One row per attending member: its head of delegation if checked in, else its first
    delegate checked in. Three queries."""
    rule = quorum_rule_on(meeting.date)
    eligible = set(quorum_members(meeting, rule).values_list("pk", flat=True))
    check_ins = (
        CheckIn.objects.filter(meeting=meeting)
        .select_related("delegate", "organisation")
        .order_by("at", "id")
    )
    chosen: dict[int, CheckIn] = {}
    for ci in check_ins:
        current = chosen.get(ci.organisation_id)
        if current is None or (ci.delegate.role == "head" and current.delegate.role != "head"):
            chosen[ci.organisation_id] = ci
    rows = [
        AttendanceRow(
            organisation=ci.organisation,
            delegate=ci.delegate,
            mode=ci.mode,
            mayoral=ci.delegate.mayoral_level,
            quorum=org_id in eligible,
            population=ci.organisation.population or 0,
        )
        for org_id, ci in chosen.items()
    ]
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


def agenda(meeting: Meeting) -> list[AgendaItem]:
    return list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("decision")
        .prefetch_related("candidates__organisation", "amendments__article")
        .order_by("number")
    )


def decision_for(item: AgendaItem) -> Decision | None:
    return Decision.objects.filter(agenda_item=item).first()


def vote_counts(item: AgendaItem) -> rules.Tally:
    """For/against/abstain of an item, from the open votes or, if secret, the ballots."""
    source = item.ballots if item.method == "secret_ballot" else item.votes
    counts = dict(source.values_list("choice").annotate(n=Count("pk")).order_by())
    return rules.Tally(counts.get("for", 0), counts.get("against", 0), counts.get("abstain", 0))


def votes_cast(item: AgendaItem) -> int:
    return Vote.objects.filter(agenda_item=item).count()


@dataclass(frozen=True)
class ChangeRow:
    organisation: Organisation
    kind: str
    date: dt.date
    reason: str
    decision_ref: str


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
    changes: dict[str, list[ChangeRow]]
    amendments: list[Any]
    officers: list[OfficeTerm]


CHANGE_KINDS = [
    ("approved", "New members"),
    ("withdrawn", "Withdrawals"),
    ("suspended", "Suspensions"),
    ("terminated", "Terminations"),
]


def membership_changes(since: dt.date | None, until: dt.date) -> dict[str, list[ChangeRow]]:
    """Registry events after `since` up to `until`, by kind (one query)."""
    qs = LifecycleEvent.objects.filter(
        date__lte=until, kind__in=[k for k, _ in CHANGE_KINDS]
    ).select_related("organisation")
    if since is not None:
        qs = qs.filter(date__gt=since)
    out: dict[str, list[ChangeRow]] = {label: [] for _, label in CHANGE_KINDS}
    labels = dict(CHANGE_KINDS)
    for e in qs.order_by("organisation__category", "organisation__name", "date"):
        out[labels[e.kind]].append(
            ChangeRow(e.organisation, e.organisation.category, e.date, e.reason, e.decision_ref)
        )
    return out


def memorandum(meeting: Meeting) -> Memorandum:
    """Everything the memorandum of a meeting states, computed from the data.

    The quorum is the one recorded with the meeting's first decision taken with the quorum
    met (what the assembly acted on); without decisions, the live quorum.
    """
    rule = quorum_rule_on(meeting.date)
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
        source = "recorded with the decisions"
    else:
        quorum, source = quorum_for(meeting), "live"
    rows = attendance_rows(meeting)
    labels = dict(Category.choices)
    by_category: dict[str, int] = {}
    for row in rows:
        by_category[row.organisation.category] = by_category.get(row.organisation.category, 0) + 1
    counts = [(labels[c], n) for c, n in sorted(by_category.items(), key=lambda kv: -kv[1])]
    items = agenda(meeting)
    amendments = [a for item in items for a in item.amendments.all()]
    officers = [t for t in terms_on(meeting.date) if t.kind != OfficeKind.REGIONAL_OFFICE]
    return Memorandum(
        meeting=meeting,
        quorum=quorum,
        quorum_rule=rule,
        quorum_source=source,
        counted_labels=[labels[c].lower() + "s" for c in sorted(rule.counted_categories)],
        groups=attendance_groups(rows),
        attendee_counts=counts,
        items=items,
        changes=membership_changes(meeting.changes_since, meeting.date),
        amendments=amendments,
        officers=officers,
    )


def present_members(meeting: Meeting) -> list[Organisation]:
    """Members with at least one delegate checked in (who may vote)."""
    ids = CheckIn.objects.filter(meeting=meeting).values("organisation_id")
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def vote_preconditions(item: AgendaItem, organisation: Organisation) -> tuple[bool, bool]:
    """(already decided, member present) for a vote, in one query."""
    row = (
        AgendaItem.objects.filter(pk=item.pk)
        .annotate(
            decided=Exists(Decision.objects.filter(agenda_item_id=OuterRef("pk"))),
            present=Exists(
                CheckIn.objects.filter(
                    meeting_id=OuterRef("meeting_id"), organisation_id=organisation.pk
                )
            ),
        )
        .values_list("decided", "present")
        .first()
    )
    return (bool(row[0]), bool(row[1])) if row else (False, False)
