"""The web ballot and the chair's console, as pages: who may vote from where, the receipt,
the refusals in words, the panel that answers 204 until something changes, the console's
turnout (who, never what), the close, the run-off, the links to heads of delegation, and
the results on the public meeting page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.factories.governance import (
    AgendaItemFactory,
    CandidateFactory,
    MeetingFactory,
    QuorumRuleFactory,
    members,
)
from tests.factories.members import ContactFactory, UserFactory
from tests.governance.conftest import attend
from urbis.common import roles
from urbis.governance import domain
from urbis.governance.ballot_links import (
    ballot_link_delegate,
    ballot_link_read,
    ballot_link_sign,
)
from urbis.governance.models import Delegate, Poll, PollParticipation, Proxy, QuorumRule
from urbis.messaging.models import Message

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _focal_user(org, username):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get_or_create(name=roles.FOCAL_POINT)[0])
    ContactFactory(organisation=org, user=user, is_focal_point=True, name=f"Focal {username}")
    return user


@pytest.fixture
def ga(db, staff_user):
    """A later Assembly in session: three members present, a fourth absent, a budget motion
    and an election with three candidates."""
    QuorumRuleFactory()
    cities = members(4, prefix="Ballot City")
    meeting = MeetingFactory(
        slug="ga-9",
        title="9th General Assembly",
        number=9,
        date=dt.date(2027, 10, 12),
        convocation_date=dt.date(2027, 9, 14),
    )
    domain.meeting_convene(
        actor=None, meeting=meeting, convocation_date=dt.date(2027, 9, 14), notice="Notice"
    )
    attend(meeting, cities[:3])
    domain.meeting_open(actor=None, meeting=meeting)
    budget = AgendaItemFactory(meeting=meeting, number=1, title="Budget 2028", kind="approval")
    election = AgendaItemFactory(
        meeting=meeting, number=2, title="Election of the auditors", kind="election"
    )
    for n, city in enumerate(cities[:3], start=1):
        CandidateFactory(agenda_item=election, organisation=city, order=n)
    return {
        "meeting": meeting,
        "cities": cities,
        "budget": budget,
        "election": election,
        "focal": _focal_user(cities[0], "focal-0"),
        "staff": staff_user,
    }


def _open_motion(ga, method="secret") -> Poll:
    return domain.poll_open(item=ga["budget"], kind="motion", method=method, actor=None)


def _option(poll: Poll, label: str) -> int:
    return poll.options.get(label=label).pk


def _head(ga, n: int) -> Delegate:
    return Delegate.objects.get(meeting=ga["meeting"], organisation=ga["cities"][n])


# --- the links ------------------------------------------------------------------------------


def test_a_link_names_one_head_of_one_meeting_and_dies_with_the_meeting_keys(ga):
    head = _head(ga, 1)
    token = ballot_link_sign(delegate=head, meeting=ga["meeting"])
    link = ballot_link_read(token)
    assert (link.delegate_id, link.organisation_id, link.meeting_id, link.generation) == (
        head.pk,
        ga["cities"][1].pk,
        ga["meeting"].pk,
        0,
    )
    assert ballot_link_delegate(token) == head
    assert ballot_link_read(token[:-2] + ("AA" if token[-2:] != "AA" else "BB")) is None
    assert ballot_link_read("not-a-link") is None
    domain.desk_keys_revoke(actor=ga["staff"], meeting=ga["meeting"])
    assert ballot_link_delegate(token) is None


def test_a_link_holds_only_while_its_delegate_heads_the_delegation(ga):
    head = _head(ga, 1)
    token = ballot_link_sign(delegate=head, meeting=ga["meeting"])
    Delegate.objects.filter(pk=head.pk).update(role=Delegate.Role.MEMBER)
    assert ballot_link_delegate(token) is None


# --- signed in: a focal point -------------------------------------------------------------


def test_a_focal_point_votes_and_gets_a_receipt_then_a_second_vote_is_refused(client, ga):
    poll = _open_motion(ga)
    client.force_login(ga["focal"])
    page = client.get(reverse("governance:ballot", args=["ga-9"]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Agenda 1. Budget 2028" in html
    assert 'id="ballot-member">Ballot City 0000<' in html
    assert [o in html for o in ("For", "Against", "Abstain")] == [True, True, True]

    url = reverse("governance:ballot_vote", args=["ga-9"])
    data = {"poll": poll.pk, "option": _option(poll, "For")}
    answer = client.post(url, data, **HTMX)
    receipt = PollParticipation.objects.get(poll=poll).receipt
    assert answer.status_code == 200
    assert f"Your vote is recorded. Receipt <code>{receipt}</code>." in answer.content.decode()
    assert "Ballot City 0000 has voted in this poll" in answer.content.decode()

    again = client.post(url, data, **HTMX).content.decode()
    assert "Ballot City 0000 has already voted in this poll: one vote per member." in again
    assert PollParticipation.objects.filter(poll=poll).count() == 1
    counted = domain.poll_close(poll=poll, actor=None)
    assert [o.votes for o in counted.options] == [1, 0, 0]


def test_a_focal_point_votes_for_its_own_member_only(client, ga):
    poll = _open_motion(ga, method="roll_call")
    client.force_login(ga["focal"])
    other = ga["cities"][1]
    client.post(
        reverse("governance:ballot_vote", args=["ga-9"]),
        {"poll": poll.pk, "option": _option(poll, "Against"), "organisation": other.pk},
    )
    voted = list(PollParticipation.objects.filter(poll=poll).values_list("organisation", flat=True))
    assert voted == [ga["cities"][0].pk]


def test_an_absent_member_is_told_why_it_cannot_vote(client, ga):
    poll = _open_motion(ga)
    client.force_login(_focal_user(ga["cities"][3], "focal-3"))
    page = client.get(reverse("governance:ballot", args=["ga-9"])).content.decode()
    assert "Ballot City 0003 is not present at 9th General Assembly." in page
    answer = client.post(
        reverse("governance:ballot_vote", args=["ga-9"]),
        {"poll": poll.pk, "option": _option(poll, "For")},
        **HTMX,
    ).content.decode()
    assert "Ballot City 0003 is not present at 9th General Assembly." in answer
    assert not PollParticipation.objects.filter(poll=poll).exists()


def test_a_vote_on_a_closed_poll_is_refused_in_words(client, ga):
    poll = _open_motion(ga)
    domain.poll_close(poll=poll, actor=None)
    client.force_login(ga["focal"])
    answer = client.post(
        reverse("governance:ballot_vote", args=["ga-9"]),
        {"poll": poll.pk, "option": _option(poll, "For")},
        **HTMX,
    ).content.decode()
    assert "This poll is closed: the vote was not recorded." in answer


def test_someone_without_a_vote_is_told_so_and_refused(client, ga):
    _open_motion(ga)
    client.force_login(ga["staff"])
    page = client.get(reverse("governance:ballot", args=["ga-9"]))
    assert "You hold no vote at this meeting." in page.content.decode()
    refused = client.post(reverse("governance:ballot_vote", args=["ga-9"]), {"poll": 1})
    assert refused.status_code == 403


def test_the_panel_answers_204_until_the_chair_opens_a_poll(client, ga):
    client.force_login(ga["focal"])
    page = client.get(reverse("governance:ballot", args=["ga-9"])).content.decode()
    assert "No poll is open." in page
    version = re.search(r'data-version="([^"]+)"', page).group(1)
    panel = reverse("governance:ballot_panel", args=["ga-9"])
    assert client.get(panel, {"v": version}, **HTMX).status_code == 204
    _open_motion(ga)
    fresh = client.get(panel, {"v": version}, **HTMX)
    assert fresh.status_code == 200
    assert "Agenda 1. Budget 2028" in fresh.content.decode()


# --- a head of delegation's link ----------------------------------------------------------


def test_a_head_of_delegation_votes_in_an_election_through_the_link(client, ga):
    poll = domain.poll_open(
        item=ga["election"], kind="election", method="secret", seats=2, actor=None
    )
    token = ballot_link_sign(delegate=_head(ga, 1), meeting=ga["meeting"])
    page = client.get(reverse("governance:ballot_link", args=[token])).content.decode()
    assert 'id="ballot-member">Ballot City 0001<' in page
    assert "2 seats: mark up to 2, or none" in page
    ids = list(poll.options.order_by("position").values_list("pk", flat=True))
    url = reverse("governance:ballot_link_vote", args=[token])
    too_many = client.post(url, {"poll": poll.pk, "option": ids}, **HTMX).content.decode()
    assert "Mark at most 2 candidates (3 marked)." in too_many
    done = client.post(url, {"poll": poll.pk, "option": ids[:2]}, **HTMX).content.decode()
    assert "Your vote is recorded." in done
    voted = PollParticipation.objects.get(poll=poll)
    assert voted.organisation == ga["cities"][1]


def test_a_link_that_does_not_hold_is_not_found(client, ga):
    assert client.get(reverse("governance:ballot_link", args=["forged"])).status_code == 404


def test_links_are_queued_to_heads_whose_address_is_known(client, ga):
    ContactFactory(
        organisation=ga["cities"][1], name="Head Ballot City 0001", email="head1@city.example"
    )
    client.force_login(ga["staff"])
    answer = client.post(reverse("governance:ballot_links_send", args=["ga-9"]), follow=True)
    mail = Message.objects.get(kind="governance.ballot_link")
    assert mail.to_address == "head1@city.example"
    assert mail.subject == "Your ballot for 9th General Assembly"
    token = re.search(r"/governance/ballot/([^/\s]+)/", mail.body_text).group(1)
    assert ballot_link_delegate(token) == _head(ga, 1)
    text = answer.content.decode()
    assert "1 ballot link queued for sending." in text
    assert "Ballot City 0000, Ballot City 0002: hand their links over." in text


def test_staff_hand_over_a_link_that_opens_the_ballot(client, ga):
    client.force_login(ga["staff"])
    page = client.post(
        reverse("governance:ballot_link_hand_over", args=["ga-9"]), {"delegate": _head(ga, 2).pk}
    ).content.decode()
    url = re.search(r'id="ballot-link-url">([^<]+)<', page).group(1)
    path = "/" + url.split("/", 3)[3]
    client.logout()
    assert "Ballot City 0002" in client.get(path).content.decode()


# --- the console ---------------------------------------------------------------------------


def test_the_chair_opens_watches_and_closes_a_secret_poll(client, ga):
    client.force_login(ga["staff"])
    opened = client.post(
        reverse("governance:poll_open", args=["ga-9"]),
        {"item": ga["budget"].pk, "kind": "motion", "method": "secret"},
        follow=True,
    )
    assert "Poll opened on agenda 1: delegates can vote now." in opened.content.decode()
    poll = Poll.objects.get(meeting=ga["meeting"], state="open")
    domain.poll_vote_cast(
        poll=poll, organisation=ga["cities"][0], option_ids=[_option(poll, "For")], actor=None
    )
    turnout = client.get(reverse("governance:console_turnout", args=["ga-9"])).content.decode()
    assert '<strong id="turnout-count">1 of 3</strong>' in turnout
    assert "<li>Ballot City 0000</li>" in turnout
    # Secret and open: no count anywhere, for anyone.
    projector = client.get(reverse("governance:projector", args=["ga-9"])).content.decode()
    assert "1 of 3 members voted" in projector
    assert 'aria-valuenow="1"' in projector and "Voting open" in projector
    assert "result-table" not in projector + turnout
    public = client.get(reverse("governance:meeting", args=["ga-9"])).content.decode()
    assert "Results of the votes" not in public

    domain.poll_vote_cast(
        poll=poll, organisation=ga["cities"][1], option_ids=[_option(poll, "For")], actor=None
    )
    closed = client.post(
        reverse("governance:poll_close", args=["ga-9"]), {"poll": poll.pk}, follow=True
    ).content.decode()
    poll.refresh_from_db()
    assert poll.state == "closed"
    assert f"Poll on agenda 1 closed: {poll.arithmetic}" in closed
    client.logout()
    public = client.get(reverse("governance:meeting", args=["ga-9"])).content.decode()
    assert "Results of the votes" in public
    assert '<tr><td>For</td><td class="num">2</td></tr>' in public
    assert poll.arithmetic in public


def test_a_selection_without_an_absolute_majority_goes_to_a_run_off(client, ga):
    bids = AgendaItemFactory(meeting=ga["meeting"], number=3, title="Host", kind="selection")
    for n, city in enumerate(ga["cities"][:3], start=1):
        CandidateFactory(agenda_item=bids, organisation=city, order=n, label=f"Bid {n}")
    client.force_login(ga["staff"])
    client.post(
        reverse("governance:poll_open", args=["ga-9"]),
        {"item": bids.pk, "kind": "selection", "method": "secret"},
    )
    poll = Poll.objects.get(meeting=ga["meeting"], state="open")
    for n, city in enumerate(ga["cities"][:3], start=1):
        option = _option(poll, f"Bid {n}")
        domain.poll_vote_cast(poll=poll, organisation=city, option_ids=[option], actor=None)
    client.post(reverse("governance:poll_close", args=["ga-9"]), {"poll": poll.pk})
    console = client.get(reverse("governance:console", args=["ga-9"])).content.decode()
    assert "Open the run-off (round 2)" in console
    client.post(reverse("governance:poll_runoff", args=["ga-9"]), {"poll": poll.pk})
    runoff = Poll.objects.get(meeting=ga["meeting"], state="open")
    assert (runoff.round, runoff.previous_id) == (2, poll.pk)


def test_the_console_refuses_bad_input_in_words(client, ga):
    client.force_login(ga["staff"])
    answer = client.post(
        reverse("governance:poll_open", args=["ga-9"]),
        {"item": "x", "kind": "motion", "method": "secret"},
        follow=True,
    ).content.decode()
    assert "item: " in answer
    closed = client.post(
        reverse("governance:poll_close", args=["ga-9"]), {"poll": "999999"}, follow=True
    ).content.decode()
    assert "poll: This poll is not one of this meeting&#x27;s." in closed


# --- proxies -------------------------------------------------------------------------------


def test_a_member_carrying_a_proxy_casts_that_ballot_too(client, ga):
    QuorumRule.objects.update(proxies_allowed=True, proxy_cap=1)
    absent, holder = ga["cities"][3], ga["cities"][0]
    domain.proxy_grant(
        meeting=ga["meeting"],
        grantor=absent,
        holder=holder,
        granted_on=dt.date(2027, 10, 1),
        actor=None,
    )
    poll = _open_motion(ga)
    client.force_login(ga["focal"])
    page = client.get(reverse("governance:ballot", args=["ga-9"])).content.decode()
    assert "By proxy: Ballot City 0003" in page
    assert "Cast the vote of Ballot City 0003 (proxy)" in page
    url = reverse("governance:ballot_vote", args=["ga-9"])
    answer = client.post(
        url, {"poll": poll.pk, "option": _option(poll, "Against"), "grantor": absent.pk}, **HTMX
    ).content.decode()
    assert "The vote of Ballot City 0003 (by proxy) is recorded." in answer
    carried = PollParticipation.objects.get(poll=poll)
    assert (carried.organisation, carried.proxy_holder) == (absent, holder)
    # Its own ballot is still to be cast.
    assert "Cast the vote of Ballot City 0000" in answer
    # A proxy it does not hold is refused.
    other = client.post(
        url,
        {"poll": poll.pk, "option": _option(poll, "For"), "grantor": ga["cities"][2].pk},
        **HTMX,
    ).content.decode()
    assert "Ballot City 0000 holds no such proxy." in other


def test_without_proxies_in_the_statutes_a_mandate_carries_no_vote(client, ga):
    Proxy.objects.create(
        meeting=ga["meeting"],
        grantor=ga["cities"][3],
        holder=ga["cities"][0],
        granted_on=dt.date(2027, 10, 1),
    )
    poll = _open_motion(ga)
    client.force_login(ga["focal"])
    page = client.get(reverse("governance:ballot", args=["ga-9"])).content.decode()
    assert "The statutes in force do not allow proxies (Art. 16)." in page
    answer = client.post(
        reverse("governance:ballot_vote", args=["ga-9"]),
        {"poll": poll.pk, "option": _option(poll, "For"), "grantor": ga["cities"][3].pk},
        **HTMX,
    ).content.decode()
    assert "The statutes in force do not allow proxies (Art. 16)." in answer
    assert not PollParticipation.objects.filter(poll=poll).exists()


# --- the API of the console's link buttons ---------------------------------------------------


def test_the_api_sends_the_links_and_hands_one_over(client, ga):
    ContactFactory(
        organisation=ga["cities"][2], name="Head Ballot City 0002", email="head2@city.example"
    )
    client.force_login(ga["staff"])
    sent = client.post("/api/v1/governance/meetings/ga-9/ballot-links").json()
    assert sent["queued"] == 1
    assert [h["organisation"] for h in sent["without_address"]] == [
        "Ballot City 0000",
        "Ballot City 0001",
    ]
    head = _head(ga, 0)
    one = client.post(f"/api/v1/governance/meetings/ga-9/delegates/{head.pk}/ballot-link").json()
    token = one["url"].rstrip("/").rsplit("/", 1)[1]
    assert (one["delegate_id"], ballot_link_delegate(token)) == (head.pk, head)
    client.force_login(ga["focal"])
    refused = client.post("/api/v1/governance/meetings/ga-9/ballot-links")
    assert refused.status_code == 403


def test_an_election_result_names_the_office_it_fills(client, ga):
    item = ga["election"]
    item.office = "excom_member"
    item.term_start = dt.date(2027, 10, 13)
    item.term_end = dt.date(2029, 10, 12)
    item.call_for_candidates_on = dt.date(2027, 6, 1)
    item.save()
    poll = domain.poll_open(item=item, kind="election", method="secret", seats=2, actor=None)
    ids = list(poll.options.order_by("position").values_list("pk", flat=True))
    for city in ga["cities"][:3]:
        domain.poll_vote_cast(poll=poll, organisation=city, option_ids=ids[:2], actor=None)
    domain.poll_close(poll=poll, actor=None)
    page = client.get(reverse("governance:meeting", args=["ga-9"])).content.decode()
    assert "Fills: EXCOM member, term 13 October 2027 \u2013 12 October 2029." in page
    assert page.count("<strong>elected</strong>") == 2
