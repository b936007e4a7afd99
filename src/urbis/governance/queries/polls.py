"""Reads of polls: the open poll of a meeting, who may vote, the turnout, the result.

The turnout names who voted, never what. The result of a secret poll exists only once the
poll is closed (`poll_result` answers None before), and then as totals only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from urbis.governance import rules
from urbis.governance.models import (
    CheckIn,
    Decision,
    Meeting,
    Poll,
    PollOption,
    PollParticipation,
    PollState,
    PollTally,
    Proxy,
)
from urbis.governance.queries.quorum import _rule_row, quorum_members, quorum_rule_on
from urbis.governance.rules import majorities
from urbis.members.models import Organisation


@dataclass(frozen=True)
class VotingRule:
    """Art. 16 as statute data: the majority of each kind of decision, proxies and their cap."""

    majorities: dict[str, str]
    article: str
    proxies_allowed: bool
    proxy_cap: int


def voting_rule_on(on: dt.date, body: str = "ga") -> VotingRule:
    """The voting rules in force on a date for a body (one query)."""
    row = _rule_row(on, body)
    if row is None:
        raise rules.GovernanceError(f"No statute rule on decisions (Art. 16) is in force on {on}.")
    return VotingRule(
        majorities=dict(row.majorities or {}),
        article=row.majority_article,
        proxies_allowed=row.proxies_allowed,
        proxy_cap=row.proxy_cap,
    )


def poll_open_for_meeting(meeting: Meeting) -> Poll | None:
    """The poll the chair has open at a meeting (at most one, by a database constraint)."""
    return (
        Poll.objects.filter(meeting=meeting, state=PollState.OPEN)
        .select_related("agenda_item", "meeting")
        .order_by()  # (one at most; the model's order joins the meetings)
        .first()
    )


def polls_for_item(item_id: int) -> list[Poll]:
    """Every round of voting on an agenda item, first round first."""
    return list(
        Poll.objects.filter(agenda_item_id=item_id)
        .select_related("agenda_item", "meeting")
        .order_by("opened_at", "id")
    )


def _counted(
    meeting: Meeting,
    organisation: Organisation,
    rule: rules.QuorumFraction,
    electorate: frozenset[int] | None,
) -> bool:
    if electorate is not None:
        return organisation.pk in electorate
    return quorum_members(meeting, rule).filter(pk=organisation.pk).exists()


def _present(meeting: Meeting, organisation_id: int) -> bool:
    return CheckIn.objects.filter(meeting=meeting, organisation_id=organisation_id).exists()


def vote_eligibility(
    *,
    meeting: Meeting,
    organisation: Organisation,
    proxy_holder: Organisation | None = None,
    electorate: frozenset[int] | None = None,
) -> str | None:
    """None when the member may vote at the meeting now; otherwise why not.

    Art. 16(2) as statute data: the members that count for the quorum vote (at an EXCOM
    meeting, the EXCOM's members); a member attending without counting, an observer or a
    non-member does not. The voter must be present, or, where the statutes allow proxies,
    its vote is carried by `proxy_holder`, a present voting member holding its dated
    mandate for this meeting. `electorate`: the members that count, when the caller has them
    (`poll_ballot_facts`); read from the registry otherwise."""
    rule = quorum_rule_on(meeting.date, meeting.body)
    if not _counted(meeting, organisation, rule, electorate):
        return (
            f"{organisation} does not vote at {meeting}: only the members that count for the "
            f"quorum vote (Art. {rule.article})."
        )
    if proxy_holder is None:
        if not _present(meeting, organisation.pk):
            return f"{organisation} is not present at {meeting}."
        return None
    voting = voting_rule_on(meeting.date, meeting.body)
    if not voting.proxies_allowed:
        return f"The statutes in force do not allow proxies (Art. {voting.article})."
    if not Proxy.objects.filter(
        meeting=meeting, grantor=organisation, holder=proxy_holder
    ).exists():
        return f"{proxy_holder} holds no proxy of {organisation} for {meeting}."
    holder_votes = _counted(meeting, proxy_holder, rule, electorate)
    if not holder_votes or not _present(meeting, proxy_holder.pk):
        return (
            f"{proxy_holder}, holding the proxy of {organisation}, is not a present voting member."
        )
    if _present(meeting, organisation.pk):
        return f"{organisation} is present and votes itself."
    return None


@dataclass(frozen=True)
class Voter:
    organisation_id: int
    name: str
    recorded_at: dt.datetime
    proxy_holder: str = ""


@dataclass(frozen=True)
class Turnout:
    """Who may vote, who has voted (names, never what)."""

    poll_id: int
    state: str
    eligible: int
    voted: int
    voters: list[Voter]


def poll_turnout(poll: Poll) -> Turnout:
    """The turnout of a poll: the members present that may vote now (with the absent members
    whose proxy a present member holds, where the statutes allow it) and those who voted."""
    meeting = poll.meeting
    rule = quorum_rule_on(meeting.date, meeting.body)
    voting_ids = quorum_members(meeting, rule).values("pk")
    present = set(
        CheckIn.objects.filter(meeting=meeting, organisation_id__in=voting_ids).values_list(
            "organisation_id", flat=True
        )
    )
    eligible = len(present)
    if voting_rule_on(meeting.date, meeting.body).proxies_allowed:
        eligible += (
            Proxy.objects.filter(meeting=meeting, holder_id__in=present, grantor_id__in=voting_ids)
            .exclude(grantor_id__in=present)
            .count()
        )
    voters = [
        Voter(
            p.organisation_id,
            p.organisation.name,
            p.recorded_at,
            p.proxy_holder.name if p.proxy_holder else "",
        )
        for p in PollParticipation.objects.filter(poll=poll)
        .select_related("organisation", "proxy_holder")
        .order_by("organisation__name", "pk")
    ]
    return Turnout(poll.pk, poll.state, max(eligible, len(voters)), len(voters), voters)


@dataclass(frozen=True)
class OptionResult:
    option_id: int
    label: str
    position: int
    choice: str
    candidate_id: int | None
    organisation_id: int | None
    votes: int
    elected: bool


@dataclass(frozen=True)
class PollResult:
    """A poll's count. While an open (not secret) poll runs, the running totals (`final`
    False); once closed, the outcome, the rule applied and its arithmetic."""

    poll_id: int
    agenda_item_id: int
    kind: str
    method: str
    method_label: str
    round: int
    seats: int
    state: str
    final: bool
    outcome: str  # adopted, rejected, elected, runoff, tie, no_quorum ('' while open)
    majority: str
    majority_text: str
    article: str
    arithmetic: str
    ballots_cast: int
    members_present: int | None
    members_eligible: int | None
    options: list[OptionResult]
    previous_id: int | None
    next_round_id: int | None
    decision_id: int | None


def _options(poll: Poll) -> list[OptionResult]:
    """The options with their totals; while the poll is open (never a secret one: see
    `poll_result`), the running totals are the sums of the counter slots."""
    running: dict[int, int] = {}
    if poll.state == PollState.OPEN:
        running = dict(
            PollTally.objects.filter(poll=poll)
            .values("option_id")
            .annotate(n=Sum("votes"))
            .values_list("option_id", "n")
        )
    return [
        OptionResult(
            o.pk,
            o.label,
            o.position,
            o.choice,
            o.candidate_id,
            o.candidate.organisation_id if o.candidate else None,
            o.votes + (running.get(o.pk) or 0),
            o.elected,
        )
        for o in PollOption.objects.filter(poll=poll)
        .select_related("candidate")
        .order_by("position")
    ]


def poll_result(poll: Poll) -> PollResult | None:
    """The count of a poll; None for a secret poll still open (no running tally of a secret
    ballot exists for anyone, staff included)."""
    if poll.secret and poll.state == PollState.OPEN:
        return None
    closed = poll.state == PollState.CLOSED
    ballots = (
        poll.ballots_cast
        if closed and poll.ballots_cast is not None
        else PollParticipation.objects.filter(poll=poll).count()
    )
    decision_id = (
        Decision.objects.filter(agenda_item_id=poll.agenda_item_id)
        .values_list("pk", flat=True)
        .first()
        if closed
        else None
    )
    next_round = Poll.objects.filter(previous=poll).values_list("pk", flat=True).first()
    return PollResult(
        poll_id=poll.pk,
        agenda_item_id=poll.agenda_item_id,
        kind=poll.kind,
        method=poll.method,
        method_label=poll.get_method_display(),
        round=poll.round,
        seats=poll.seats,
        state=poll.state,
        final=closed,
        outcome=poll.outcome if closed else "",
        majority=poll.majority,
        majority_text=str(majorities.MAJORITIES.get(poll.majority, "")),
        article=poll.article,
        arithmetic=poll.arithmetic if closed else "",
        ballots_cast=ballots,
        members_present=poll.members_present,
        members_eligible=poll.members_eligible,
        options=_options(poll),
        previous_id=poll.previous_id,
        next_round_id=next_round,
        decision_id=decision_id if poll.outcome in {"adopted", "rejected", "elected"} else None,
    )


def poll_results_for_meeting(meeting: Meeting) -> dict[int, list[PollResult]]:
    """The closed polls of a meeting by agenda item, rounds in order (for the memorandum, the
    meeting page and the report)."""
    out: dict[int, list[PollResult]] = {}
    polls = Poll.objects.filter(meeting=meeting, state=PollState.CLOSED).order_by("opened_at", "id")
    for poll in polls.select_related("agenda_item", "meeting"):
        result = poll_result(poll)
        if result is not None:
            out.setdefault(poll.agenda_item_id, []).append(result)
    return out


def proxies_held(meeting: Meeting, holder: Organisation) -> int:
    return Proxy.objects.filter(meeting=meeting, holder=holder).count()


def participation_counts(poll: Poll) -> dict[str, int]:
    """Participations by kind of voter (in person, by proxy): for the close's check."""
    agg = PollParticipation.objects.filter(poll=poll).aggregate(
        total=Count("pk"), by_proxy=Count("pk", filter=Q(proxy_holder__isnull=False))
    )
    return {"total": agg["total"], "by_proxy": agg["by_proxy"]}
