"""The meeting's proxies page: the chair records a mandate and revokes one before a poll it
would be used in; with proxies off the page says so and records none."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories.governance import AgendaItemFactory, MeetingFactory, QuorumRuleFactory, members
from tests.governance.conftest import attend
from urbis.governance import domain
from urbis.governance.models import Proxy, QuorumRule

pytestmark = pytest.mark.django_db


@pytest.fixture
def ga(db):
    QuorumRuleFactory()
    cities = members(6, prefix="Proxy City")
    meeting = MeetingFactory(
        title="8th General Assembly",
        slug="ga-8",
        date=dt.date(2027, 9, 21),
        convocation_date=dt.date(2027, 8, 1),
    )
    attend(meeting, cities[:4])
    return {"meeting": meeting, "cities": cities}


def _page(client) -> str:
    response = client.get(reverse("governance:proxies", args=["ga-8"]))
    assert response.status_code == 200
    return response.content.decode()


def test_proxies_off_the_page_records_none(client, staff_user, ga):
    client.force_login(staff_user)
    html = _page(client)
    assert (
        "The statutes in force do not allow proxies (Art. 16): no mandate can be recorded." in html
    )
    assert 'id="proxy-form"' not in html
    url = reverse("governance:proxy_grant", args=["ga-8"])
    data = {"grantor": ga["cities"][5].pk, "holder": ga["cities"][0].pk, "granted_on": "2027-09-01"}
    answer = client.post(url, data, follow=True).content.decode()
    assert "The statutes in force do not allow proxies (Art. 16)." in answer
    assert not Proxy.objects.exists()


def test_proxies_on_the_chair_records_and_revokes_a_mandate(client, staff_user, ga):
    QuorumRule.objects.update(proxies_allowed=True, proxy_cap=1)
    cities = ga["cities"]
    client.force_login(staff_user)
    assert "carries at most 1 other member" in _page(client)
    url = reverse("governance:proxy_grant", args=["ga-8"])
    data = {
        "grantor": cities[5].pk,
        "holder": cities[0].pk,
        "granted_on": "2027-09-01",
        "reference": "Letter 12",
    }
    done = client.post(url, data, follow=True).content.decode()
    assert f"Recorded: {cities[0].name} holds the vote of {cities[5].name}." in done
    proxy = Proxy.objects.get()
    assert (proxy.reference, proxy.granted_on) == ("Letter 12", dt.date(2027, 9, 1))
    bad = client.post(url, {**data, "granted_on": "01/09/2027"}, follow=True).content.decode()
    assert "granted_on: a date written YYYY-MM-DD, not" in bad
    assert f'id="revoke-{proxy.pk}"' in _page(client)

    # Used in the open poll: refused until the close.
    item = AgendaItemFactory(meeting=ga["meeting"], kind="approval", number=2)
    poll = domain.poll_open(item=item, kind="motion", method="secret", actor=None)
    yes = poll.options.get(choice="for").pk
    domain.poll_vote_cast(
        poll=poll, organisation=cities[5], option_ids=[yes], actor=None, proxy_holder=cities[0]
    )
    revoke = reverse("governance:proxy_revoke", args=["ga-8", proxy.pk])
    refused = client.post(revoke, follow=True).content.decode()
    assert "revoke it after the poll closes." in refused
    assert Proxy.objects.filter(pk=proxy.pk).exists()
    domain.poll_close(poll=poll, actor=None)
    revoked = client.post(revoke, follow=True).content.decode()
    assert f"Revoked: {cities[0].name} holds the vote of {cities[5].name} no longer" in revoked
    assert not Proxy.objects.exists()
    assert "No mandate is recorded for this meeting." in revoked


def test_the_proxies_page_is_for_those_who_run_the_meeting(client, focal_point, ga):
    user, _ = focal_point
    client.force_login(user)
    assert client.get(reverse("governance:proxies", args=["ga-8"])).status_code == 403
