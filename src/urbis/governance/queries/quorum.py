"""The quorum in force: the statute data (Art. 16(2)) on a date for a body, and who counts.

Grouped because attendance, accreditation and polls all read the same rule row.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from urbis.governance import rules
from urbis.governance.models import CheckIn, Meeting, OfficeKind, OfficeTerm, QuorumRule
from urbis.members.models import Organisation
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
