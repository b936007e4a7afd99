"""Proxies: off in the demo statutes (refused); on, a present member carries an absent
member's vote on a dated mandate, within the cap per holder."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories.governance import AgendaItemFactory
from tests.governance.conftest import attend
from urbis.common.actor import Actor
from urbis.common.errors import Conflict
from urbis.common.models import AuditRecord
from urbis.governance import domain, queries
from urbis.governance.models import Meeting, PollParticipation, Proxy, QuorumRule

pytestmark = pytest.mark.django_db

SYSTEM = Actor.system()
ON = dt.date(2023, 9, 20)


def test_proxies_off_are_refused(assembly):
    m = assembly["meeting"]
    holder, absent = assembly["cities"][0], assembly["cities"][50]
    attend(m, assembly["cities"][:45])
    with pytest.raises(ValidationError, match=r"do not allow proxies \(Art. 16\)"):
        domain.proxy_grant(meeting=m, grantor=absent, holder=holder, granted_on=ON, actor=SYSTEM)
    item = AgendaItemFactory(meeting=m, kind="approval")
    poll = domain.poll_open(item=item, kind="motion", method="secret", actor=SYSTEM)
    with pytest.raises(PermissionDenied, match="do not allow proxies"):
        domain.poll_vote_cast(
            poll=poll,
            organisation=absent,
            option_ids=[poll.options.first().pk],
            actor=SYSTEM,
            proxy_holder=holder,
        )


def test_proxies_on_within_the_cap(assembly):
    QuorumRule.objects.update(proxies_allowed=True, proxy_cap=1)
    m = assembly["meeting"]
    cities = assembly["cities"]
    holder, absent, other_absent = cities[0], cities[50], cities[51]
    attend(m, cities[:45])
    domain.proxy_grant(
        meeting=m, grantor=absent, holder=holder, granted_on=ON, reference="Letter", actor=SYSTEM
    )
    with pytest.raises(ValidationError, match="already holds 1 proxy: the statutes allow 1"):
        domain.proxy_grant(
            meeting=m, grantor=other_absent, holder=holder, granted_on=ON, actor=SYSTEM
        )
    with pytest.raises(ValidationError, match="is not a member that votes"):
        domain.proxy_grant(
            meeting=m, grantor=assembly["corp"], holder=cities[1], granted_on=ON, actor=SYSTEM
        )
    item = AgendaItemFactory(meeting=m, kind="approval")
    poll = domain.poll_open(item=item, kind="motion", method="secret", actor=SYSTEM)
    yes = poll.options.get(choice="for").pk
    # The absent member cannot vote itself; its holder carries its vote.
    with pytest.raises(PermissionDenied, match="is not present"):
        domain.poll_vote_cast(poll=poll, organisation=absent, option_ids=[yes], actor=SYSTEM)
    with pytest.raises(PermissionDenied, match="holds no proxy"):
        domain.poll_vote_cast(
            poll=poll, organisation=absent, option_ids=[yes], actor=SYSTEM, proxy_holder=cities[2]
        )
    receipt = domain.poll_vote_cast(
        poll=poll, organisation=absent, option_ids=[yes], actor=SYSTEM, proxy_holder=holder
    )
    assert receipt.proxy_holder == holder.name
    domain.poll_vote_cast(poll=poll, organisation=holder, option_ids=[yes], actor=SYSTEM)
    turnout = queries.poll_turnout(poll)
    assert (turnout.eligible, turnout.voted) == (46, 2)
    assert {v.name: v.proxy_holder for v in turnout.voters} == {
        absent.name: holder.name,
        holder.name: "",
    }
    assert PollParticipation.objects.filter(poll=poll, proxy_holder=holder).count() == 1
    result = domain.poll_close(poll=poll, actor=SYSTEM)
    assert result.options[0].votes == 2


def _grant(m, grantor, holder):
    return domain.proxy_grant(
        meeting=m, grantor=grantor, holder=holder, granted_on=ON, reference="Letter", actor=SYSTEM
    )


def test_proxies_on_a_mandate_revoked_before_the_poll_carries_no_vote(assembly):
    QuorumRule.objects.update(proxies_allowed=True, proxy_cap=1)
    m = assembly["meeting"]
    cities = assembly["cities"]
    holder, absent = cities[0], cities[50]
    attend(m, cities[:45])
    proxy = _grant(m, absent, holder)
    domain.proxy_revoke(proxy=proxy, actor=SYSTEM)
    assert not Proxy.objects.filter(meeting=m).exists()
    record = AuditRecord.objects.get(action="proxy.revoke")
    assert record.target_id == str(proxy.pk)
    assert record.before == {
        "grantor": absent.pk,
        "holder": holder.pk,
        "granted_on": "2023-09-20",
        "reference": "Letter",
    }
    with pytest.raises(Conflict, match="already been revoked"):
        domain.proxy_revoke(proxy=proxy, actor=SYSTEM)
    item = AgendaItemFactory(meeting=m, kind="approval")
    poll = domain.poll_open(item=item, kind="motion", method="secret", actor=SYSTEM)
    yes = poll.options.get(choice="for").pk
    with pytest.raises(PermissionDenied, match="holds no proxy"):
        domain.poll_vote_cast(
            poll=poll, organisation=absent, option_ids=[yes], actor=SYSTEM, proxy_holder=holder
        )
    # The member may give its vote again, to another holder, and the cap counts afresh.
    again = _grant(m, absent, cities[1])
    assert (
        domain.poll_vote_cast(
            poll=poll, organisation=absent, option_ids=[yes], actor=SYSTEM, proxy_holder=cities[1]
        ).proxy_holder
        == cities[1].name
    )
    assert again.holder == cities[1]


def test_proxies_on_a_mandate_used_in_the_open_poll_is_not_revoked_until_the_close(assembly):
    QuorumRule.objects.update(proxies_allowed=True, proxy_cap=1)
    m = assembly["meeting"]
    cities = assembly["cities"]
    holder, absent = cities[0], cities[50]
    attend(m, cities[:45])
    proxy = _grant(m, absent, holder)
    item = AgendaItemFactory(meeting=m, kind="approval", number=7)
    poll = domain.poll_open(item=item, kind="motion", method="secret", actor=SYSTEM)
    yes = poll.options.get(choice="for").pk
    domain.poll_vote_cast(
        poll=poll, organisation=absent, option_ids=[yes], actor=SYSTEM, proxy_holder=holder
    )
    with pytest.raises(Conflict) as refused:
        domain.proxy_revoke(proxy=proxy, actor=SYSTEM)
    assert refused.value.message_dict == {
        "proxy": [
            f"{holder} has already cast the vote of {absent} under this mandate in the open "
            "poll on agenda 7: revoke it after the poll closes."
        ]
    }
    assert Proxy.objects.filter(pk=proxy.pk).exists()
    result = domain.poll_close(poll=poll, actor=SYSTEM)
    domain.proxy_revoke(proxy=proxy, actor=SYSTEM)  # the vote cast under it stands
    assert result.options[0].votes == 1
    assert PollParticipation.objects.get(poll=poll).proxy_holder == holder


def test_no_mandate_is_revoked_once_the_meeting_is_concluded(assembly):
    QuorumRule.objects.update(proxies_allowed=True, proxy_cap=1)
    m = assembly["meeting"]
    cities = assembly["cities"]
    attend(m, cities[:45])
    proxy = _grant(m, cities[50], cities[0])
    Meeting.objects.filter(pk=m.pk).update(status="concluded")
    with pytest.raises(Conflict, match="concluded"):
        domain.proxy_revoke(proxy=proxy, actor=SYSTEM)
    assert Proxy.objects.filter(pk=proxy.pk).exists()


def test_proxies_off_a_mandate_from_earlier_statutes_can_still_be_revoked(assembly):
    m = assembly["meeting"]
    cities = assembly["cities"]
    attend(m, cities[:45])
    proxy = Proxy.objects.create(meeting=m, grantor=cities[50], holder=cities[0], granted_on=ON)
    domain.proxy_revoke(proxy=proxy, actor=SYSTEM)
    assert not Proxy.objects.filter(meeting=m).exists()
    assert AuditRecord.objects.filter(action="proxy.revoke").count() == 1
