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

from urbis.dues.queries.review import review_effect_text, review_preview
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


def _rule_row(on: dt.date, body: str) -> QuorumRule | None:
    """The quorum rule of a body in force on a date; a body without a rule of its own uses
    the General Assembly's (one query)."""
    rows = QuorumRule.objects.filter(effective_from__lte=on, body__in={body, "ga"})
    best = None
    for row in rows.order_by("effective_from"):
        if best is None or row.body == body or best.body != body:
            best = row
    return best


def quorum_rule_on(on: dt.date, body: str = "ga") -> rules.QuorumFraction:
    """The Art. 16(2) statute data in force on a date for a body (one query)."""
    row = _rule_row(on, body)
    if row is None:
        raise rules.GovernanceError(f"No quorum rule (Art. 16(2)) is in force on {on}.")
    return rules.QuorumFraction(
        numerator=row.numerator,
        denominator=row.denominator,
        counted_categories=frozenset(row.counted_categories),
        counted_states=frozenset(row.counted_states),
        article=row.article,
    )


def attendee_roles_on(on: dt.date, body: str = "ga") -> rules.AttendeeRoles:
    """Who is who at a meeting, as the statute data in force says (one query)."""
    row = _rule_row(on, body)
    if row is None:
        raise rules.GovernanceError(f"No quorum rule (Art. 16(2)) is in force on {on}.")
    return rules.AttendeeRoles(
        counted_categories=frozenset(row.counted_categories),
        counted_states=frozenset(row.counted_states),
        member_categories=frozenset(row.member_categories),
        member_states=frozenset(row.member_states),
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
    rule = quorum_rule_on(meeting.date, meeting.body)
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
    role: str = rules.VOTING  # voting, member (attends without counting) or observer
    arrived_at: dt.datetime | None = None


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
    changes: dict[str, list[ChangeRow]]
    amendments: list[Any]
    officers: list[OfficeTerm]
    observers: list[AttendanceRow] = field(default_factory=list)
    officers_chosen: list[OfficeTerm] = field(default_factory=list)
    changes_since: dt.date | None = None
    show_changes: bool = True
    errata: list[Any] = field(default_factory=list)
    electorate: str = ""
    next_assembly: NextAssembly | None = None


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
        source = "recorded with the decisions"
    else:
        quorum, source = quorum_for(meeting), "live"
    every = attendance_rows(meeting, observers=None)
    rows = [r for r in every if r.role != rules.OBSERVER]
    labels = dict(Category.choices)
    by_category: dict[str, int] = {}
    for row in rows:
        by_category[row.organisation.category] = by_category.get(row.organisation.category, 0) + 1
    counts = [(labels[c], n) for c, n in sorted(by_category.items(), key=lambda kv: -kv[1])]
    items = agenda(meeting)
    rounds = poll_results_for_meeting(meeting)  # queries.polls, imported below
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
        electorate = "the members of the Executive Committee on the day of the meeting"
    else:
        counted = ", ".join(labels[c].lower() + "s" for c in sorted(rule.counted_categories))
        electorate = f"{counted} in good standing on the convocation date"
    return Memorandum(
        meeting=meeting,
        quorum=quorum,
        quorum_rule=rule,
        quorum_source=source,
        counted_labels=[labels[c].lower() + "s" for c in sorted(rule.counted_categories)],
        groups=attendance_groups(rows),
        attendee_counts=counts,
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


def present_members(meeting: Meeting) -> list[Organisation]:
    """Members with at least one delegate checked in (who may vote)."""
    ids = CheckIn.objects.filter(meeting=meeting).values("organisation_id")
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def vote_preconditions(item: AgendaItem, organisation: Organisation) -> tuple[bool, bool, str]:
    """(already decided, member present, the meeting's status) for a vote, in one query."""
    row = (
        AgendaItem.objects.filter(pk=item.pk)
        .annotate(
            has_decision=Exists(Decision.objects.filter(agenda_item_id=OuterRef("pk"))),
            present=Exists(
                CheckIn.objects.filter(
                    meeting_id=OuterRef("meeting_id"), organisation_id=organisation.pk
                )
            ),
        )
        .values_list("has_decision", "voting_closed", "present", "meeting__status")
        .first()
    )
    return (bool(row[0] or row[1]), bool(row[2]), row[3]) if row else (False, False, "")


def meetings(*, body: str = "", status: str = "", year: int | None = None) -> QuerySet[Meeting]:
    """Meetings, latest first, filtered by body, lifecycle status and year."""
    qs = Meeting.objects.order_by("-date", "body", "pk")
    if body:
        qs = qs.filter(body=body)
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(date__year=year)
    return qs


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


def next_item_number(meeting: Meeting) -> int:
    last = AgendaItem.objects.filter(meeting=meeting).order_by("-number").first()
    return (last.number + 1) if last else 1


def organisation_choices() -> QuerySet[Organisation]:
    """Organisations a slate may name (ids and names only)."""
    return Organisation.objects.only("pk", "name").order_by("name")


def approving_items(meeting: Meeting) -> QuerySet[AgendaItem]:
    """Adopted approval items of later meetings: what may approve this meeting's minutes."""
    return (
        AgendaItem.objects.filter(
            meeting__date__gt=meeting.date, kind="approval", decision__result="adopted"
        )
        .select_related("meeting")
        .order_by("meeting__date", "number")
    )


def decision_confirm_text(item: AgendaItem, quorum: rules.QuorumState) -> str:
    """What recording the decision of `item` does, for the console's confirmation: the
    decision is final and records the quorum of the moment; an item that approves a
    membership review also applies it ('This suspends 22 members and terminates 20 members
    as of 26 September 2023'), computed from the review's preview now."""
    text = (
        f"Record the decision on agenda {item.number} ({item.title})? It is final and records "
        f"the quorum now: {quorum.present} present of {quorum.eligible}, {quorum.required} "
        f"required ({'met' if quorum.met else 'NOT met'})."
    )
    if item.membership_review_ref and item.membership_review_as_of:
        preview = review_preview(as_of=item.membership_review_as_of)
        effect = review_effect_text(preview.new, on=item.meeting.date)
        text += f" If adopted: {effect[0].lower()}{effect[1:]}"
    return text


# Polls (a module of their own); re-exported here, where callers look for reads.
from urbis.governance.queries.polls import (  # noqa: E402, F401
    OptionResult,
    PollResult,
    Turnout,
    Voter,
    VotingRule,
    poll_open_for_meeting,
    poll_result,
    poll_results_for_meeting,
    poll_turnout,
    polls_for_item,
    vote_eligibility,
    voting_rule_on,
)
