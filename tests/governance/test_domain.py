import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tests.factories.governance import AgendaItemFactory, CandidateFactory, DelegateFactory
from tests.governance.conftest import attend
from urbis.common.models import AuditRecord
from urbis.governance import domain, queries
from urbis.governance.models import Ballot, CheckIn, Decision, OfficeTerm, Vote

pytestmark = pytest.mark.django_db


def test_check_in_twice_keeps_one_entry(assembly):
    d = DelegateFactory(meeting=assembly["meeting"], organisation=assembly["cities"][0])
    _, created = domain.attendance_check_in(actor=None, delegate=d)
    _, again = domain.attendance_check_in(actor=None, delegate=d)
    assert (created, again) == (True, False)
    assert CheckIn.objects.filter(delegate=d).count() == 1


def test_mayoral_flag_follows_position_unless_given(assembly):
    m, org = assembly["meeting"], assembly["cities"][0]
    d = domain.delegate_accredit(
        actor=None, meeting=m, organisation=org, name="A", position="Mayor"
    )
    assert d.mayoral_level is True
    d2 = domain.delegate_accredit(
        actor=None,
        meeting=m,
        organisation=org,
        name="B",
        position="City Secretary",
        role="member",
        mayoral_level=True,
    )
    assert d2.mayoral_level is True


def test_second_head_of_delegation_is_refused(assembly):
    m, org = assembly["meeting"], assembly["cities"][0]
    domain.delegate_accredit(actor=None, meeting=m, organisation=org, name="A")
    with pytest.raises(ValidationError, match=r"already has a head of delegation"):
        domain.delegate_accredit(actor=None, meeting=m, organisation=org, name="B")


def test_decision_records_quorum(assembly):
    m = assembly["meeting"]
    attend(m, assembly["cities"][:45])
    item = AgendaItemFactory(meeting=m, kind="approval")
    decision = domain.decision_record(actor=None, agenda_item=item, outcome="Approved.")
    assert (decision.result, decision.quorum_present, decision.quorum_eligible) == (
        "adopted",
        45,
        163,
    )
    assert (decision.quorum_required, decision.quorum_met) == (41, True)


def test_quorum_loss_blocks_adoption(assembly):
    m = assembly["meeting"]
    attend(m, assembly["cities"][:41])
    item = AgendaItemFactory(meeting=m, kind="approval")
    leaving = m.delegates.get(organisation=assembly["cities"][0])
    domain.attendance_check_out(actor=None, delegate=leaving)
    with pytest.raises(
        ValidationError, match=r"Quorum not met .Art. 16.2..: 40 present, 41 required"
    ):
        domain.decision_record(actor=None, agenda_item=item)
    assert not Decision.objects.exists()


def test_report_is_noted_without_quorum(assembly):
    item = AgendaItemFactory(meeting=assembly["meeting"], kind="report")
    decision = domain.decision_record(actor=None, agenda_item=item)
    assert (decision.result, decision.quorum_met) == ("noted", False)


def test_one_vote_per_member(assembly):
    m = assembly["meeting"]
    attend(m, assembly["cities"][:41])
    item = AgendaItemFactory(meeting=m, method="roll_call")
    org = assembly["cities"][0]
    domain.vote_cast(actor=None, agenda_item=item, organisation=org, choice="for")
    with pytest.raises(ValidationError, match=r"has already voted on agenda .*one vote per member"):
        domain.vote_cast(actor=None, agenda_item=item, organisation=org, choice="against")
    assert list(Vote.objects.values_list("choice", flat=True)) == ["for"]


def test_absent_member_cannot_vote(assembly):
    item = AgendaItemFactory(meeting=assembly["meeting"], method="roll_call")
    with pytest.raises(ValidationError, match=r"not present"):
        domain.vote_cast(
            actor=None, agenda_item=item, organisation=assembly["cities"][0], choice="for"
        )


def test_roll_call_result(assembly):
    m = assembly["meeting"]
    cities = assembly["cities"][:41]
    attend(m, cities)
    item = AgendaItemFactory(meeting=m, method="roll_call")
    for i, org in enumerate(cities):
        domain.vote_cast(
            actor=None,
            agenda_item=item,
            organisation=org,
            choice=["for", "against", "abstain"][i % 3],
        )
    d = domain.decision_record(actor=None, agenda_item=item)
    assert (d.votes_for, d.votes_against, d.votes_abstain, d.result) == (14, 14, 13, "rejected")
    with pytest.raises(ValidationError, match=r"already decided"):
        domain.vote_cast(actor=None, agenda_item=item, organisation=cities[0], choice="for")


def test_secret_ballot_stores_who_apart_from_what(assembly):
    m = assembly["meeting"]
    attend(m, assembly["cities"][:41])
    item = AgendaItemFactory(meeting=m, method="secret_ballot")
    domain.vote_cast(
        actor=None, agenda_item=item, organisation=assembly["cities"][0], choice="against"
    )
    vote = Vote.objects.get()
    assert vote.choice == ""
    assert list(Ballot.objects.values_list("choice", flat=True)) == ["against"]
    audit = AuditRecord.objects.get(action="vote.cast")
    assert "against" not in str(audit.after)
    assert queries.vote_counts(item).votes_against == 1


def test_art_11_4_selected_host_becomes_executive_vice_president(assembly):
    m = assembly["meeting"]
    attend(m, assembly["cities"][:41])
    almaty = assembly["cities"][5]
    item = AgendaItemFactory(
        meeting=m,
        kind="selection",
        hosts_meeting="7th General Assembly 2026",
        term_start=dt.date(2023, 9, 26),
        term_end=dt.date(2026, 12, 31),
        article="10",
    )
    CandidateFactory(agenda_item=item, organisation=almaty)
    domain.decision_record(actor=None, agenda_item=item)
    evp = queries.holder_on("evp_city", dt.date(2024, 6, 1))
    assert evp is not None and evp.organisation == almaty
    assert "11(4)" in evp.basis
    assert queries.holder_on("evp_city", dt.date(2027, 1, 1)) is None


def test_vice_presidents_need_exactly_two(assembly):
    m = assembly["meeting"]
    attend(m, assembly["cities"][:41])
    item = AgendaItemFactory(meeting=m, kind="appointment", office="vp_city")
    CandidateFactory(agenda_item=item, organisation=assembly["cities"][1])
    with pytest.raises(ValidationError, match=r"Art. 11.2.: exactly 2"):
        domain.decision_record(actor=None, agenda_item=item)
    assert not Decision.objects.exists() and not OfficeTerm.objects.exists()


def test_office_holder_on_date(db):
    from tests.factories.members import OrganisationFactory

    seoul, perai, kampala = (
        OrganisationFactory(name=n) for n in ("Seoul", "Seberang Perai", "Kampala")
    )
    domain.office_term_record(
        actor=None,
        kind="vp_city",
        organisation=perai,
        start=dt.date(2021, 10, 1),
        end=dt.date(2023, 9, 25),
    )
    domain.office_term_record(
        actor=None,
        kind="vp_city",
        organisation=kampala,
        start=dt.date(2023, 9, 26),
        end=dt.date(2026, 12, 31),
    )
    domain.office_term_record(
        actor=None, kind="president_city", organisation=seoul, start=dt.date(2010, 9, 1)
    )
    on = [t.organisation.name for t in queries.terms_on(dt.date(2022, 1, 1), kind="vp_city")]
    assert on == ["Seberang Perai"]
    on = [t.organisation.name for t in queries.terms_on(dt.date(2023, 9, 26), kind="vp_city")]
    assert on == ["Kampala"]
    assert queries.holder_on("president_city", dt.date(2023, 9, 26)).organisation == seoul
    with pytest.raises(ValidationError, match=r"Art. 11: .* overlaps"):
        domain.office_term_record(
            actor=None, kind="president_city", organisation=kampala, start=dt.date(2020, 1, 1)
        )


def test_excom_election_needs_a_call(assembly):
    m = assembly["meeting"]
    attend(m, assembly["cities"][:41])
    item = AgendaItemFactory(meeting=m, kind="election", office="excom_member")
    CandidateFactory(agenda_item=item, organisation=assembly["cities"][1])
    with pytest.raises(ValidationError, match=r"Art. 12"):
        domain.decision_record(actor=None, agenda_item=item)
    item.call_for_candidates_on = dt.date(2023, 6, 30)
    item.save()
    domain.decision_record(actor=None, agenda_item=item)
    assert OfficeTerm.objects.filter(kind="excom_member").count() == 1
