"""Meetings and their agenda: the items, their votes and decisions, and what the console
shows before recording a decision.
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, QuerySet

from urbis.dues.queries.review import review_effect_text, review_preview
from urbis.governance import rules
from urbis.governance.models import AgendaItem, CheckIn, Decision, Meeting, Vote
from urbis.members.models import Organisation


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
