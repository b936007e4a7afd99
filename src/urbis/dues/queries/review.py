"""The status review preview: one set-based query for the candidates, pure rules for the rest.

The rules (data) are translated into one SQL filter — state, category, last payment, last
participation, flags, pending withdrawal letters — so the database returns only the
members some rule may match; `rules.review.evaluate` then decides each one and words the
reason. The preview also says which proposals a later decision already recorded, so that
running the review again proposes nothing new.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from urbis.common.formats import plural
from urbis.dues.models import Payment, ReviewFlag
from urbis.dues.rules import review as review_rules
from urbis.members.models import LifecycleEvent, Organisation, Participation
from urbis.members.queries.registry import STATE_CHANGING_KINDS, with_state
from urbis.members.rules import IN_MEMBERSHIP, STATE_AFTER, EventKind, State

RULES_FILE = Path(__file__).resolve().parent.parent / "data" / "review_rules.yaml"


@lru_cache(maxsize=4)
def load_rules(path: Path = RULES_FILE) -> tuple[review_rules.ReviewRule, ...]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return tuple(review_rules.rules_from_data(data))


@dataclass(frozen=True)
class Recorded:
    kind: str
    date: dt.date
    decision_ref: str


@dataclass(frozen=True)
class PreviewItem:
    proposal: review_rules.Proposal
    recorded: Recorded | None  # a later event already records this transition

    @property
    def is_new(self) -> bool:
        return self.recorded is None


@dataclass(frozen=True)
class ReviewPreview:
    as_of: dt.date
    items: list[PreviewItem]

    @property
    def new(self) -> list[review_rules.Proposal]:
        return [i.proposal for i in self.items if i.is_new]

    @property
    def already_recorded(self) -> list[PreviewItem]:
        return [i for i in self.items if not i.is_new]


def _kinds_leading_to(states: frozenset[State]) -> list[str]:
    return [k.value for k, s in STATE_AFTER.items() if s in states]


def _exists(
    model: type[Any], field: str, after: dt.date | None, upto: dt.date, **kw: Any
) -> Exists:
    """Whether the member has a row of `model` dated in (after, upto]."""
    cond = {f"{field}__lte": upto, **kw}
    if after is not None:
        cond[f"{field}__gt"] = after
    return Exists(model.objects.filter(organisation=OuterRef("pk"), **cond))


def _inactive(cutoff: dt.date, as_of: dt.date) -> Q:
    """No payment and no participation after `cutoff`, and either some activity by then or,
    with none on record, membership (the latest approval) since `cutoff` or earlier.
    Written with EXISTS so that the database evaluates each condition once per member."""
    approved = {"kind": EventKind.APPROVED}
    return (
        ~Q(_exists(Payment, "received_on", cutoff, as_of))
        & ~Q(_exists(Participation, "date", cutoff, as_of))
        & (
            Q(_exists(Payment, "received_on", None, cutoff))
            | Q(_exists(Participation, "date", None, cutoff))
            | (
                Q(_exists(LifecycleEvent, "date", None, cutoff, **approved))
                & ~Q(_exists(LifecycleEvent, "date", cutoff, as_of, **approved))
            )
        )
    )


def candidates(
    as_of: dt.date, rules: tuple[review_rules.ReviewRule, ...]
) -> QuerySet[Organisation]:
    """Members some rule may match on `as_of`, annotated with the review's facts."""
    last_payment = (
        Payment.objects.filter(organisation=OuterRef("pk"), received_on__lte=as_of)
        .order_by("-received_on")
        .values("received_on")[:1]
    )
    last_participation = (
        Participation.objects.filter(organisation=OuterRef("pk"), date__lte=as_of)
        .order_by("-date")
        .values("date")[:1]
    )
    member_since = (
        LifecycleEvent.objects.filter(
            organisation=OuterRef("pk"), date__lte=as_of, kind=EventKind.APPROVED
        )
        .order_by("-date")
        .values("date")[:1]
    )
    closed_later = LifecycleEvent.objects.filter(
        organisation=OuterRef("organisation"),
        kind__in=STATE_CHANGING_KINDS,
        date__gte=OuterRef("date"),
        date__lte=as_of,
    )
    announced = LifecycleEvent.objects.filter(
        organisation=OuterRef("pk"), kind=EventKind.WITHDRAWAL_ANNOUNCED, date__lte=as_of
    ).filter(~Exists(closed_later))
    qs = with_state(Organisation.objects.all(), as_of=as_of).annotate(
        last_payment=Subquery(last_payment),
        last_participation=Subquery(last_participation),
        member_since=Subquery(member_since),
        withdrawal_pending=Exists(announced),
    )
    flag_codes = sorted({r.flag for r in rules if r.when == review_rules.When.FLAG})
    for code in flag_codes:
        open_flag = ReviewFlag.objects.filter(
            Q(resolved_on__isnull=True) | Q(resolved_on__gt=as_of),
            organisation=OuterRef("pk"),
            code=code,
            noted_on__lte=as_of,
        )
        qs = qs.annotate(**{f"flag_{code}": Exists(open_flag)})
    # The state is not part of the filter: members that left match no rule in `evaluate`,
    # and testing it here would look up the last event of every member, not only of those
    # some rule may match. The SELECT list is computed for the matching rows only.
    match = Q(pk__in=[])
    for rule in rules:
        q = Q()
        if rule.category != review_rules.ANY_CATEGORY:
            q &= Q(category=rule.category)
        if rule.when == review_rules.When.FLAG:
            q &= Q(**{f"flag_{rule.flag}": True})
        elif rule.when == review_rules.When.WITHDRAWAL_LETTER_PENDING:
            q &= Q(withdrawal_pending=True)
        else:
            q &= _inactive(review_rules.inactivity_cutoff(rule, as_of), as_of)
        match |= q
    return qs.filter(match)


FACT_FIELDS = (
    "pk",
    "name",
    "category",
    "last_kind",
    "member_since",
    "last_payment",
    "last_participation",
    "withdrawal_pending",
)


# The review looks years back from its date: before this year there is no calendar to look at.
MIN_REVIEW_YEAR = 1900


def review_preview(
    *,
    as_of: dt.date,
    rules: tuple[review_rules.ReviewRule, ...] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ReviewPreview:
    """Each proposed transition on `as_of` with its reason and evidence (memorandum,
    Annex 1), in two queries whatever the number of members."""
    if as_of.year < MIN_REVIEW_YEAR:
        raise ValidationError({"as_of": f"A review date must be in {MIN_REVIEW_YEAR} or later."})
    active_rules = rules if rules is not None else load_rules()
    flag_codes = sorted({r.flag for r in active_rules if r.when == review_rules.When.FLAG})
    fields = [*FACT_FIELDS, *(f"flag_{code}" for code in flag_codes)]
    qs = candidates(as_of, active_rules).values_list(*fields).order_by("category", "name", "pk")
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            # Many cheap index probes: compiling them (PostgreSQL's JIT) costs more than it
            # saves (see docs/performance.md).
            cursor.execute("SET LOCAL jit = off")
            rows = list(qs)
    else:
        rows = list(qs)
    proposals = []
    for n, row in enumerate(rows, start=1):
        if progress:
            progress(n, len(rows))
        pk, name, category, last_kind, since, paid, took_part, pending = row[:8]
        state = STATE_AFTER[EventKind(last_kind)] if last_kind else State.NONE
        if state is None or state not in IN_MEMBERSHIP:
            continue
        facts = review_rules.MemberFacts(
            organisation_id=pk,
            name=name,
            category=category,
            state=state,
            member_since=since,
            last_payment=paid,
            last_participation=took_part,
            withdrawal_letter_pending=pending,
            flags=frozenset(code for code, on in zip(flag_codes, row[8:], strict=True) if on),
        )
        proposal = review_rules.evaluate(facts, active_rules, as_of)
        if proposal is not None:
            proposals.append(proposal)
    later: dict[tuple[int, str], Recorded] = {}
    if proposals:
        wanted = {(p.organisation_id, p.propose.value) for p in proposals}
        # Transitions recorded after the review date are few: read them all, keep ours.
        for event in LifecycleEvent.objects.filter(
            kind__in={kind for _, kind in wanted}, date__gt=as_of
        ).order_by("date", "id"):
            if (event.organisation_id, event.kind) in wanted:
                later.setdefault(
                    (event.organisation_id, event.kind),
                    Recorded(kind=event.kind, date=event.date, decision_ref=event.decision_ref),
                )
    items = [
        PreviewItem(proposal=p, recorded=later.get((p.organisation_id, p.propose.value)))
        for p in proposals
    ]
    return ReviewPreview(as_of=as_of, items=items)


# What a transition does to a member, as the confirmation before applying a review says it.
EFFECT_VERBS = {
    EventKind.SUSPENDED.value: "suspends",
    EventKind.TERMINATED.value: "terminates",
    EventKind.WITHDRAWN.value: "records the withdrawal of",
    EventKind.REINSTATED.value: "reinstates",
}


def review_effect_text(proposals: Iterable[Any], *, on: dt.date) -> str:
    """'This suspends 22 members and terminates 20 members as of 26 September 2023; it
    cannot be undone.' — the effect of applying `proposals` (each with `.propose`)."""
    counts: dict[str, int] = {}
    for p in proposals:
        kind = str(getattr(p.propose, "value", p.propose))
        counts[kind] = counts.get(kind, 0) + 1
    if not counts:
        return f"This changes no member as of {on.day} {on:%B %Y}."
    parts = [
        f"{EFFECT_VERBS.get(kind, kind)} {plural(n, 'member')}"
        for kind, n in sorted(counts.items())
    ]
    effect = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
    return f"This {effect} as of {on.day} {on:%B %Y}; it cannot be undone."
