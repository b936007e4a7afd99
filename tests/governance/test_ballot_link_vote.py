"""A head of delegation's vote through its ballot link: the link checked with the vote (in
the vote's own statement on PostgreSQL once the poll's facts are kept), the lean receipt
answered to the page's htmx form, the refusals in words, and the plain form post."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories.governance import AgendaItemFactory, MeetingFactory, QuorumRuleFactory, members
from tests.governance.conftest import attend
from urbis.common.inputs import InputError
from urbis.common.models import AuditRecord
from urbis.governance import domain, queries
from urbis.governance.ballot_links import LINK_REFUSED, ballot_link_read, ballot_link_sign
from urbis.governance.models import Delegate, Poll, PollParticipation, QuorumRule

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
POSTGRES = connection.vendor == "postgresql"


def _meeting(slug: str, number: int, cities) -> object:
    meeting = MeetingFactory(
        slug=slug,
        title=f"{number}th General Assembly",
        number=number,
        date=dt.date(2027, 10, 12),
        convocation_date=dt.date(2027, 9, 14),
    )
    domain.meeting_convene(
        actor=None, meeting=meeting, convocation_date=dt.date(2027, 9, 14), notice="Notice"
    )
    attend(meeting, cities)
    domain.meeting_open(actor=None, meeting=meeting)
    return meeting


@pytest.fixture
def ga(db):
    """An Assembly in session with three members present and a fourth absent, a secret
    motion open on its budget; and another Assembly in session with its own motion."""
    QuorumRuleFactory()
    cities = members(4, prefix="Link City")
    meeting = _meeting("ga-9", 9, cities[:3])
    budget = AgendaItemFactory(meeting=meeting, number=1, title="Budget 2028", kind="approval")
    poll = domain.poll_open(item=budget, kind="motion", method="secret", actor=None)
    other = _meeting("ga-10", 10, cities[:1])
    other_item = AgendaItemFactory(meeting=other, number=1, title="Host", kind="approval")
    other_poll = domain.poll_open(item=other_item, kind="motion", method="secret", actor=None)
    return {
        "meeting": meeting,
        "cities": cities,
        "poll": poll,
        "other": other,
        "other_poll": other_poll,
    }


def _head(ga, n: int, meeting=None) -> Delegate:
    return Delegate.objects.get(meeting=meeting or ga["meeting"], organisation=ga["cities"][n])


def _token(ga, n: int) -> str:
    return ballot_link_sign(delegate=_head(ga, n), meeting=ga["meeting"])


def _for(poll: Poll) -> int:
    return poll.options.get(label="For").pk


def _vote(client, token: str, poll: Poll, **extra):
    url = reverse("governance:ballot_link_vote", args=[token])
    return client.post(url, {"poll": poll.pk, "option": _for(poll)}, **extra)


def _kept(ga) -> None:
    """The facts of the open poll kept, as after the first vote a process sees."""
    queries.poll_ballot_facts(Poll.objects.select_related("meeting").get(pk=ga["poll"].pk))


def test_the_form_is_answered_the_receipt_and_the_panel_then_answers_204(client, ga):
    _kept(ga)
    answer = _vote(client, _token(ga, 1), ga["poll"], **HTMX)
    voted = PollParticipation.objects.get(poll=ga["poll"])
    html = answer.content.decode()
    assert answer.status_code == 200
    assert f"Your vote is recorded. Receipt <code>{voted.receipt}</code>." in html
    assert f"Link City 0001 has voted in this poll (receipt <code>{voted.receipt}</code>)." in html
    assert '<h2 id="ballot-poll">Agenda 1. Budget 2028</h2>' in html
    assert "Motion (for / against / abstain) · Secret ballot" in html
    version = re.search(r'data-version="([^"]+)"', html).group(1)
    assert version == f"in_session.{ga['poll'].pk}.open.1"
    panel = reverse("governance:ballot_link_panel", args=[_token(ga, 1)])
    assert client.get(panel, {"v": version}, **HTMX).status_code == 204
    audit = AuditRecord.objects.get(action="poll.vote")
    assert audit.actor_label == "ballot link of Head Link City 0001 (Link City 0001)"
    assert audit.target_repr == f"Link City 0001 voted in poll {ga['poll'].pk}"
    assert audit.after == {"organisation": ga["cities"][1].pk}
    assert [o.votes for o in domain.poll_close(poll=ga["poll"], actor=None).options] == [1, 0, 0]


def test_the_first_vote_a_process_sees_answers_the_same_receipt(client, ga):
    queries.poll_ballot_facts_forget()
    html = _vote(client, _token(ga, 2), ga["poll"], **HTMX).content.decode()
    voted = PollParticipation.objects.get(poll=ga["poll"])
    assert f"Your vote is recorded. Receipt <code>{voted.receipt}</code>." in html
    assert voted.organisation == ga["cities"][2]
    audit = AuditRecord.objects.get(action="poll.vote")
    assert audit.actor_label == "ballot link of Head Link City 0002 (Link City 0002)"


@pytest.mark.skipif(not POSTGRES, reason="the one statement is PostgreSQL's")
def test_a_vote_on_a_kept_poll_is_one_statement(client, ga):
    _kept(ga)
    url = reverse("governance:ballot_link_vote", args=[_token(ga, 1)])
    data = {"poll": ga["poll"].pk, "option": _for(ga["poll"])}
    with CaptureQueriesContext(connection) as captured:
        client.post(url, data, **HTMX)
    sql = [q["sql"] for q in captured if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    assert len(sql) == 1
    assert "governance_pollparticipation" in sql[0]


@pytest.mark.parametrize("kept", [True, False])
def test_a_link_no_longer_head_is_refused_and_writes_nothing(client, ga, kept):
    if kept:
        _kept(ga)
    else:
        queries.poll_ballot_facts_forget()
    token = _token(ga, 1)
    Delegate.objects.filter(pk=_head(ga, 1).pk).update(role=Delegate.Role.MEMBER)
    with pytest.raises(domain.BallotLinkRefusedError) as refused:
        domain.poll_vote_cast_by_link(
            link=ballot_link_read(token), poll_id=ga["poll"].pk, option_ids=[_for(ga["poll"])]
        )
    assert str(refused.value) == LINK_REFUSED
    assert _vote(client, token, ga["poll"], **HTMX).status_code == 404
    assert not PollParticipation.objects.exists()
    assert not AuditRecord.objects.filter(action="poll.vote").exists()


@pytest.mark.parametrize("kept", [True, False])
def test_a_link_of_revoked_keys_is_refused(client, ga, kept):
    token = _token(ga, 1)
    domain.desk_keys_revoke(actor=None, meeting=ga["meeting"])
    if kept:
        _kept(ga)
    with pytest.raises(domain.BallotLinkRefusedError) as refused:
        domain.poll_vote_cast_by_link(
            link=ballot_link_read(token), poll_id=ga["poll"].pk, option_ids=[_for(ga["poll"])]
        )
    assert str(refused.value) == LINK_REFUSED
    assert _vote(client, token, ga["poll"], **HTMX).status_code == 404
    assert not PollParticipation.objects.exists()


@pytest.mark.parametrize("kept", [True, False])
def test_a_link_for_another_meeting_is_refused_in_words(client, ga, kept):
    other_poll = ga["other_poll"]
    if kept:
        queries.poll_ballot_facts(Poll.objects.select_related("meeting").get(pk=other_poll.pk))
    token = _token(ga, 0)  # the head of Link City 0000 at ga-9, also present at ga-10
    with pytest.raises(InputError) as refused:
        domain.poll_vote_cast_by_link(
            link=ballot_link_read(token), poll_id=other_poll.pk, option_ids=[_for(other_poll)]
        )
    assert refused.value.messages == ["This poll is not one of this meeting's."]
    html = _vote(client, token, other_poll, **HTMX).content.decode()
    assert "This poll is not one of this meeting&#x27;s." in html
    assert not PollParticipation.objects.exists()


@pytest.mark.parametrize("kept", [True, False])
def test_a_second_vote_and_an_absent_member_are_refused_in_words(client, ga, kept):
    if kept:
        _kept(ga)
    token = _token(ga, 1)
    _vote(client, token, ga["poll"], **HTMX)
    again = _vote(client, token, ga["poll"], **HTMX).content.decode()
    assert "Link City 0001 has already voted in this poll: one vote per member." in again
    absent = Delegate.objects.create(
        meeting=ga["meeting"], organisation=ga["cities"][3], name="Head Link City 0003"
    )
    token = ballot_link_sign(delegate=absent, meeting=ga["meeting"])
    refused = _vote(client, token, ga["poll"], **HTMX).content.decode()
    assert "Link City 0003 is not present at 9th General Assembly." in refused
    assert PollParticipation.objects.count() == 1


@pytest.mark.parametrize("kept", [True, False])
def test_a_vote_after_the_close_is_refused_and_the_panel_keeps_saying_so(client, ga, kept):
    if kept:
        _kept(ga)
    token = _token(ga, 1)
    domain.poll_close(poll=ga["poll"], actor=None)
    if kept:  # another process closed it: this one still keeps the facts
        _kept(ga)
    answer = _vote(client, token, ga["poll"], **HTMX).content.decode()
    assert '<p class="ballot-error" role="alert" id="ballot-error">' in answer
    assert "This poll is closed: the vote was not recorded." in answer
    url = re.search(r'hx-get="([^"]+)"', answer).group(1).replace("&amp;", "&")
    assert url.endswith(f"?v=refused&closed={ga['poll'].pk}")
    panel = client.get(url, **HTMX).content.decode()
    assert "This poll is closed: the vote was not recorded." in panel
    assert "No poll is open." in panel
    assert "Last result" in panel
    assert not PollParticipation.objects.exists()


def test_a_plain_form_post_gets_the_whole_page(client, ga):
    _kept(ga)
    page = _vote(client, _token(ga, 1), ga["poll"]).content.decode()
    voted = PollParticipation.objects.get(poll=ga["poll"])
    assert "<h1>Ballot: 9th General Assembly</h1>" in page
    assert f"Your vote is recorded. Receipt <code>{voted.receipt}</code>." in page


def test_a_member_carrying_a_proxy_sees_its_other_ballot_at_the_next_poll(client, ga):
    QuorumRule.objects.update(proxies_allowed=True, proxy_cap=1)
    domain.proxy_grant(
        meeting=ga["meeting"],
        grantor=ga["cities"][3],
        holder=ga["cities"][1],
        granted_on=dt.date(2027, 10, 1),
        actor=None,
    )
    _kept(ga)
    token = _token(ga, 1)
    html = _vote(client, token, ga["poll"], **HTMX).content.decode()
    assert "Your vote is recorded." in html
    version = re.search(r'data-version="([^"]+)"', html).group(1)
    assert version == "recorded"
    panel = reverse("governance:ballot_link_panel", args=[token])
    fresh = client.get(panel, {"v": version}, **HTMX).content.decode()
    assert "Cast the vote of Link City 0003 (proxy)" in fresh
