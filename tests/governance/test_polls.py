"""Polls: motions, elections, selections, run-offs, refusals, and what the close decides."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories.governance import AgendaItemFactory, CandidateFactory, members
from tests.governance.conftest import attend
from urbis.common.actor import Actor
from urbis.common.errors import Conflict
from urbis.common.models import AuditRecord
from urbis.governance import domain, queries
from urbis.governance.models import (
    Decision,
    OfficeTerm,
    Poll,
    PollBallot,
    PollOption,
    PollParticipation,
)

pytestmark = pytest.mark.django_db

SYSTEM = Actor.system()


def _options(poll):
    return {o.label: o.pk for o in poll.options.all()}


def _vote(poll, orgs, label, **kw):
    option = _options(poll)[label]
    for org in orgs:
        domain.poll_vote_cast(poll=poll, organisation=org, option_ids=[option], actor=SYSTEM, **kw)


def test_motion_simple_majority_records_the_decision(assembly):
    m = assembly["meeting"]
    cities = assembly["cities"]
    attend(m, cities[:45])
    item = AgendaItemFactory(meeting=m, kind="approval", number=3, title="Budget")
    poll = domain.poll_open(item=item, kind="motion", method="roll_call", actor=SYSTEM)
    assert list(poll.options.values_list("label", "choice")) == [
        ("For", "for"),
        ("Against", "against"),
        ("Abstain", "abstain"),
    ]
    _vote(poll, cities[:31], "For")
    _vote(poll, cities[31:41], "Against")
    _vote(poll, cities[41:44], "Abstain")
    running = queries.poll_result(poll)
    assert running is not None and not running.final
    assert [o.votes for o in running.options] == [31, 10, 3]
    result = domain.poll_close(poll=poll, actor=SYSTEM)
    assert result.outcome == "adopted"
    assert result.ballots_cast == 44
    assert result.arithmetic == (
        "31 for, 10 against of 41 votes cast; 3 abstentions; simple majority = 21; "
        "adopted (Art. 16)"
    )
    decision = Decision.objects.get(agenda_item=item)
    assert (
        decision.result,
        decision.votes_for,
        decision.votes_against,
        decision.votes_abstain,
    ) == (
        "adopted",
        31,
        10,
        3,
    )
    assert decision.method == "roll_call"
    assert decision.outcome == result.arithmetic
    assert PollBallot.objects.filter(poll=poll).count() == 44


def _amendment(assembly, votes_for):
    from urbis.governance.models import Amendment, Article

    m = assembly["meeting"]
    cities = assembly["cities"]
    attend(m, cities[:41])
    item = AgendaItemFactory(meeting=m, kind="approval", title="Amend Art. 19")
    article = Article.objects.create(number=19, title="Amendments")
    Amendment.objects.create(
        article=article, source="Annex 2", current_text="a", proposal="b", agenda_item=item
    )
    poll = domain.poll_open(item=item, kind="motion", method="secret", actor=SYSTEM)
    _vote(poll, cities[:votes_for], "For")
    _vote(poll, cities[votes_for:41], "Against")
    return item, domain.poll_close(poll=poll, actor=SYSTEM)


def test_two_thirds_amendment_fails_at_27_of_41(assembly):
    item, result = _amendment(assembly, 27)
    assert result.majority == "two_thirds"
    assert result.arithmetic == "27 for of 41 votes cast; two thirds = 28; not adopted (Art. 16)"
    assert result.outcome == "rejected"
    assert Decision.objects.get(agenda_item=item).result == "rejected"
    assert item.amendments.get().status == "proposed"


def test_two_thirds_amendment_passes_at_28_of_41(assembly):
    item, result = _amendment(assembly, 28)
    assert result.arithmetic == "28 for of 41 votes cast; two thirds = 28; adopted (Art. 16)"
    assert result.outcome == "adopted"
    assert item.amendments.get().status == "approved"


def test_election_of_14_seats_from_17_candidates(assembly):
    m = assembly["meeting"]
    cities = assembly["cities"]
    attend(m, cities[:51])
    item = AgendaItemFactory(
        meeting=m,
        kind="election",
        office="excom_member",
        term_start=dt.date(2023, 10, 1),
        call_for_candidates_on=dt.date(2023, 6, 1),
    )
    slate = [
        CandidateFactory(agenda_item=item, organisation=cities[100 + i], order=i, label=f"C{i:02d}")
        for i in range(17)
    ]
    poll = domain.poll_open(item=item, kind="election", method="secret", seats=14, actor=SYSTEM)
    options = _options(poll)
    # Every voter marks the first 14 candidates but one, in turn; candidate C16 gets no mark.
    labels = [f"C{i:02d}" for i in range(16)]
    for n, org in enumerate(cities[:50]):
        marks = [options[label] for label in labels[:14]]
        if n % 10 == 0:
            marks = [*marks[:13], options["C15"]]  # 5 voters prefer C15 to C13
        if n == 49:
            marks = []  # a blank ballot
        domain.poll_vote_cast(poll=poll, organisation=org, option_ids=marks, actor=SYSTEM)
    with pytest.raises(ValidationError, match="Mark at most 14 candidates"):
        domain.poll_vote_cast(
            poll=poll, organisation=cities[50], option_ids=list(options.values())[:15], actor=SYSTEM
        )
    result = domain.poll_close(poll=poll, actor=SYSTEM)
    counts = {o.label: o.votes for o in result.options}
    assert counts["C00"] == 49 and counts["C13"] == 44 and counts["C15"] == 5
    assert counts["C14"] == 0 and counts["C16"] == 0
    assert result.outcome == "elected"
    elected = [o.label for o in result.options if o.elected]
    assert elected == [f"C{i:02d}" for i in range(14)]
    assert result.ballots_cast == 50
    terms = OfficeTerm.objects.filter(kind="excom_member", agenda_item=item)
    assert sorted(t.organisation_id for t in terms) == sorted(c.organisation_id for c in slate[:14])
    assert {c.status for c in slate[14:] for c in [c.__class__.objects.get(pk=c.pk)]} == {
        "not_selected"
    }


def _host_selection(assembly, bids):
    m = assembly["meeting"]
    item = AgendaItemFactory(
        meeting=m,
        kind="selection",
        hosts_meeting="7th GA 2026",
        term_start=dt.date(2024, 1, 1),
        term_end=dt.date(2026, 12, 31),
    )
    for i, name in enumerate(bids):
        org = members(1, prefix=name)[0]
        CandidateFactory(agenda_item=item, organisation=org, order=i, label=name)
    return item


def test_selection_between_two_bids_decided_by_vote(assembly):
    m = assembly["meeting"]
    cities = assembly["cities"]
    attend(m, cities[:45])
    item = _host_selection(assembly, ["Almaty", "Busan"])
    poll = domain.poll_open(item=item, kind="selection", method="secret", actor=SYSTEM)
    _vote(poll, cities[:23], "Almaty")
    _vote(poll, cities[23:41], "Busan")
    result = domain.poll_close(poll=poll, actor=SYSTEM)
    assert result.outcome == "elected"
    assert result.arithmetic == (
        "41 ballots cast; Almaty 23, Busan 18; absolute majority = 21; elected: Almaty (Art. 16)"
    )
    evp = OfficeTerm.objects.get(kind="evp_city", agenda_item=item)
    assert evp.organisation.name == "Almaty 0000"
    assert queries.next_assembly(m, queries.agenda(m)).host.name == "Almaty 0000"


def test_runoff_between_the_first_two(assembly):
    m = assembly["meeting"]
    cities = assembly["cities"]
    attend(m, cities[:45])
    item = _host_selection(assembly, ["Almaty", "Busan", "Kazan"])
    first = domain.poll_open(item=item, kind="selection", method="show_of_hands", actor=SYSTEM)
    _vote(first, cities[:18], "Busan")
    _vote(first, cities[18:33], "Almaty")
    _vote(first, cities[33:41], "Kazan")
    result = domain.poll_close(poll=first, actor=SYSTEM)
    assert result.outcome == "runoff"
    assert result.arithmetic == (
        "41 ballots cast; Busan 18, Almaty 15, Kazan 8; absolute majority = 21; no absolute "
        "majority for the seat: run-off between Busan, Almaty (Art. 16)"
    )
    assert not Decision.objects.filter(agenda_item=item).exists()
    second = domain.poll_runoff_open(poll=first, actor=SYSTEM)
    assert (second.round, second.previous_id, second.majority) == (2, first.pk, "plurality")
    assert sorted(_options(second)) == ["Almaty", "Busan"]
    with pytest.raises(Conflict, match="already open"):
        domain.poll_runoff_open(poll=first, actor=SYSTEM)
    _vote(second, cities[:19], "Almaty")
    _vote(second, cities[19:41], "Busan")
    final = domain.poll_close(poll=second, actor=SYSTEM)
    assert final.outcome == "elected"
    assert [o.label for o in final.options if o.elected] == ["Busan"]
    assert queries.poll_result(first).next_round_id == second.pk
    assert OfficeTerm.objects.get(kind="evp_city", agenda_item=item).organisation.name == (
        "Busan 0000"
    )


def test_refusals_non_member_absent_and_second_vote(assembly):
    m = assembly["meeting"]
    cities = assembly["cities"]
    attend(m, cities[:41])
    attend(m, [assembly["corp"]])
    outsider = members(1, prefix="Observer", since=dt.date(2024, 1, 1))[0]  # not yet a member
    attend(m, [outsider])
    item = AgendaItemFactory(meeting=m, kind="approval")
    poll = domain.poll_open(item=item, kind="motion", method="secret", actor=SYSTEM)
    for_ = _options(poll)["For"]
    for org, reason in [
        (assembly["corp"], "does not vote at 6th General Assembly"),
        (outsider, "does not vote at 6th General Assembly"),
        (cities[100], "is not present at 6th General Assembly"),
    ]:
        assert reason in queries.vote_eligibility(meeting=m, organisation=org)
        with pytest.raises(PermissionDenied, match=reason):
            domain.poll_vote_cast(poll=poll, organisation=org, option_ids=[for_], actor=SYSTEM)
    assert queries.vote_eligibility(meeting=m, organisation=cities[0]) is None
    receipt = domain.poll_vote_cast(
        poll=poll, organisation=cities[0], option_ids=[for_], actor=SYSTEM
    )
    assert receipt.poll_id == poll.pk and len(receipt.receipt) == 16
    with pytest.raises(Conflict, match="has already voted in this poll: one vote per member"):
        domain.poll_vote_cast(poll=poll, organisation=cities[0], option_ids=[for_], actor=SYSTEM)
    assert queries.poll_result(poll) is None  # secret and open: no running tally
    turnout = queries.poll_turnout(poll)
    assert (turnout.eligible, turnout.voted) == (41, 1)
    assert [v.name for v in turnout.voters] == [cities[0].name]
    domain.poll_close(poll=poll, actor=SYSTEM)
    with pytest.raises(Conflict, match="This poll is closed"):
        domain.poll_vote_cast(poll=poll, organisation=cities[1], option_ids=[for_], actor=SYSTEM)
    assert PollParticipation.objects.filter(poll=poll).count() == 1


def test_one_open_poll_per_meeting_and_none_on_a_decided_item(assembly):
    m = assembly["meeting"]
    attend(m, assembly["cities"][:41])
    a = AgendaItemFactory(meeting=m, kind="approval")
    b = AgendaItemFactory(meeting=m, kind="approval")
    poll = domain.poll_open(item=a, kind="motion", method="show_of_hands", actor=SYSTEM)
    assert queries.poll_open_for_meeting(m) == poll
    with pytest.raises(Conflict, match="A poll is still open"):
        domain.poll_open(item=b, kind="motion", method="show_of_hands", actor=SYSTEM)
    _vote(poll, assembly["cities"][:30], "For")
    domain.poll_close(poll=poll, actor=SYSTEM)
    assert queries.poll_open_for_meeting(m) is None
    with pytest.raises(Conflict, match="already decided"):
        domain.poll_open(item=a, kind="motion", method="show_of_hands", actor=SYSTEM)
    assert AuditRecord.objects.filter(action="poll.vote").count() == 30
    assert AuditRecord.objects.filter(action__in=["poll.open", "poll.close"]).count() == 2


def test_no_quorum_decides_nothing(assembly):
    m = assembly["meeting"]
    attend(m, assembly["cities"][:10])
    item = AgendaItemFactory(meeting=m, kind="approval")
    poll = domain.poll_open(item=item, kind="motion", method="roll_call", actor=SYSTEM)
    _vote(poll, assembly["cities"][:10], "For")
    result = domain.poll_close(poll=poll, actor=SYSTEM)
    assert result.outcome == "no_quorum"
    assert result.arithmetic.endswith(
        "quorum not met (Art. 16(2)): 10 present, 41 required: nothing is decided"
    )
    assert not Decision.objects.filter(agenda_item=item).exists()
    assert Poll.objects.get(pk=poll.pk).state == "closed"
    assert PollOption.objects.filter(poll=poll, votes=10).count() == 1


def test_memorandum_prints_the_rounds_and_their_arithmetic(assembly, client):
    from django.template.loader import render_to_string

    m = assembly["meeting"]
    cities = assembly["cities"]
    attend(m, cities[:45])
    item = _host_selection(assembly, ["Almaty", "Busan", "Kazan"])
    first = domain.poll_open(item=item, kind="selection", method="secret", actor=SYSTEM)
    _vote(first, cities[:18], "Busan")
    _vote(first, cities[18:33], "Almaty")
    _vote(first, cities[33:41], "Kazan")
    domain.poll_close(poll=first, actor=SYSTEM)
    second = domain.poll_runoff_open(poll=first, actor=SYSTEM)
    _vote(second, cities[:19], "Almaty")
    _vote(second, cities[19:41], "Busan")
    domain.poll_close(poll=second, actor=SYSTEM)
    memo = queries.memorandum(m)
    html = render_to_string("governance/_memorandum.html", {"memo": memo, "m": m})
    assert "<strong>Round 1</strong> · Secret ballot · 41 ballots" in html
    assert "<strong>Round 2 (run-off)</strong> · Secret ballot · 41 ballots" in html
    assert (
        "41 ballots cast; Busan 22, Almaty 19; plurality (run-off), 1 seat; elected: Busan "
        "(Art. 16)." in html
    )
    assert "<td>Busan</td><td>22</td><td>selected</td>" in html
    assert "Outcome: Adopted</strong> — 41 ballots cast; Busan 22, Almaty 19" in html
