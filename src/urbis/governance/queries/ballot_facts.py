"""What a poll's ballots need that does not change while the poll is open, read once per
poll and process: who may vote, the options, and what a ballot shows of the poll."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass

from urbis.governance.models import Poll, PollKind, PollMethod, PollOption
from urbis.governance.queries.quorum import quorum_members, quorum_rule_on


@dataclass(frozen=True)
class BallotFacts:
    """What does not change while a poll is open, read once: the members that may vote in it
    when present (those that count for the quorum, Art. 16(2)) and the poll's options; and
    what a ballot shows of the poll, so that a vote's receipt is answered without a read."""

    electorate: frozenset[int]
    option_ids: frozenset[int]
    poll_id: int = 0
    opened_at: dt.datetime | None = None
    meeting_id: int = 0
    meeting_title: str = ""
    kind: str = ""
    method: str = ""
    seats: int = 1
    round: int = 1
    item_number: int = 0
    item_title: str = ""

    @property
    def secret(self) -> bool:
        return self.method == PollMethod.SECRET

    @property
    def kind_label(self) -> str:
        """The kind's name in the active language."""
        return str(PollKind(self.kind).label)

    @property
    def method_label(self) -> str:
        return str(PollMethod(self.method).label)


_FACTS: dict[tuple[int, dt.datetime], BallotFacts] = {}
_FACTS_LOCK = threading.Lock()  # threaded servers and tests share a process's entries
_FACTS_KEPT = 8  # polls a process keeps the facts of (one is open per meeting at a time)


def poll_ballot_facts(poll: Poll) -> BallotFacts:
    """The poll's electorate and options, read on the first vote a process sees for the poll
    and kept for the next ones: who counts for the quorum is the registry as of the
    convocation date under the statute data in force on the meeting's date, which an open
    poll does not wait for (reading it is most of a vote's cost: the members' states are
    computed from their lifecycle events). Presence, which check-ins change during the poll,
    is read by each vote. Keyed by the poll and its opening, so a poll opened again under a
    reused id (test databases) is read anew; `poll_ballot_facts_forget` drops a poll's entry
    when it opens. They are kept after the close (a process keeps the last few polls'): a
    vote that arrives just after it is refused by the vote's statement, which reads the
    state, without reading the poll again. `poll` comes with its meeting; its agenda item
    is read here unless it comes with it too."""
    key = (poll.pk, poll.opened_at)
    facts = _FACTS.get(key)
    if facts is None:
        meeting = poll.meeting
        item = poll.agenda_item
        rule = quorum_rule_on(meeting.date, meeting.body)
        facts = BallotFacts(
            electorate=frozenset(quorum_members(meeting, rule).values_list("pk", flat=True)),
            option_ids=frozenset(
                PollOption.objects.filter(poll_id=poll.pk).values_list("pk", flat=True)
            ),
            poll_id=poll.pk,
            opened_at=poll.opened_at,
            meeting_id=meeting.pk,
            meeting_title=meeting.title,
            kind=poll.kind,
            method=poll.method,
            seats=poll.seats,
            round=poll.round,
            item_number=item.number,
            item_title=item.title,
        )
        with _FACTS_LOCK:
            while len(_FACTS) >= _FACTS_KEPT:
                del _FACTS[next(iter(_FACTS))]
            _FACTS[key] = facts
    return facts


def poll_ballot_facts_kept(poll_id: int) -> BallotFacts | None:
    """The facts this process keeps for a poll, known by its id alone (the last kept, if a
    reused id was kept twice), or None: a vote that has only the id checks the opening they
    were kept for in its statement, and reads the poll when they no longer hold."""
    kept = [f for (pk, _), f in list(_FACTS.items()) if pk == poll_id]
    return kept[-1] if kept else None


def poll_ballot_facts_forget(poll_id: int | None = None) -> None:
    """Forget the facts kept for a poll (every poll's: None)."""
    with _FACTS_LOCK:
        for key in [k for k in _FACTS if poll_id is None or k[0] == poll_id]:
            del _FACTS[key]
