"""The accreditation page and API of a meeting, and a delegate's own e-mail: members'
delegations with their heads, attendance on site or online, observers apart; search and CSV;
the ballot link goes to the delegate's own address before the registry's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories.governance import MeetingFactory, QuorumRuleFactory, corporation, members
from tests.factories.members import ContactFactory, OrganisationFactory
from urbis.governance import domain
from urbis.governance.domain.ballot_links import ballot_links_send
from urbis.governance.models import Delegate
from urbis.messaging.models import Message

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(db):
    QuorumRuleFactory()
    cities = members(3, prefix="Accredited")
    corp = corporation("Accredited Corp")
    embassy = OrganisationFactory(name="Embassy of Erewhon", category="embassy")
    m = MeetingFactory(
        slug="ga-11",
        title="11th General Assembly",
        date=dt.date(2030, 5, 14),
        convocation_date=dt.date(2030, 4, 1),
        time_zone="America/Bogota",
    )
    acc = domain.delegate_accredit
    head0 = acc(
        actor=None,
        meeting=m,
        organisation=cities[0],
        name="Ana Mayor",
        position="Mayor",
        email="ana@accredited.example",
    )
    aide0 = acc(actor=None, meeting=m, organisation=cities[0], name="Ben Aide", role="member")
    online1 = acc(
        actor=None,
        meeting=m,
        organisation=cities[1],
        name="Cy Online",
        role="member",
        mode="online",
    )
    acc(actor=None, meeting=m, organisation=cities[2], name="Di Absent")
    corp_head = acc(actor=None, meeting=m, organisation=corp, name="Ed Corp")
    envoy = acc(actor=None, meeting=m, organisation=embassy, name="Flo Envoy")
    at = dt.datetime(2030, 5, 14, 14, 5, tzinfo=dt.UTC)  # 09:05 in Bogotá
    domain.attendance_check_in(actor=None, delegate=aide0, at=at)
    domain.attendance_check_in(actor=None, delegate=head0, mode="online", at=at)
    domain.attendance_check_in(actor=None, delegate=online1, mode="online", at=at)
    domain.attendance_check_in(actor=None, delegate=corp_head, at=at)
    domain.attendance_check_in(actor=None, delegate=envoy, at=at)
    return {"meeting": m, "cities": cities, "head0": head0}


def test_the_page_lists_delegations_heads_and_attendance_observers_apart(
    client, staff_user, meeting
):
    client.force_login(staff_user)
    page = client.get(reverse("governance:accreditation", args=["ga-11"])).content.decode()
    flat = " ".join(page.split())
    assert (
        "4 member delegations accredited, 3 present; 1 observer (listed apart, never counted)."
        in flat
    )
    members_table = flat.split('id="accredited-members"')[1].split("</table>")[0]
    assert (
        "<td>Accredited 0000</td><td>Counts for the quorum</td> <td>Ana Mayor, Mayor "
        '<span class="muted">ana@accredited.example</span></td> <td class="num">2</td> '
        "<td>On site 09:05</td>"
    ) in members_table
    assert (
        "<td>Accredited 0001</td><td>Counts for the quorum</td> "
        '<td><span class="muted">none named</span></td>' in members_table
    )
    assert "<td>Online 09:05</td>" in members_table
    assert "<td>Accredited Corp</td><td>Member, not counted</td>" in members_table
    assert "<td>Absent</td>" in members_table
    assert "Embassy" not in members_table
    observers = flat.split('id="accredited-observers"')[1].split("</table>")[0]
    assert "<td>Embassy of Erewhon</td><td>Embassy</td> <td>Flo Envoy</td>" in observers


def test_search_and_csv_export(client, staff_user, meeting):
    client.force_login(staff_user)
    url = reverse("governance:accreditation", args=["ga-11"])
    page = client.get(url, {"q": "ben aide"}).content.decode()
    table = page.split('id="accredited-members"')[1].split("</table>")[0]
    assert "Accredited 0000" in table and "Accredited 0001" not in table
    response = client.get(url, {"format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == (
        "organisation_id,organisation,category,counts,head_of_delegation,head_email,"
        "delegates,attendance,arrived_at"
    )
    org0 = meeting["cities"][0].pk
    assert lines[1] == (
        f"{org0},Accredited 0000,Local government,Counts for the quorum,Ana Mayor,"
        "ana@accredited.example,2,On site,2030-05-14 09:05"
    )
    assert lines[-1].split(",")[1:4] == ["Embassy of Erewhon", "Embassy", "Observer"]
    assert len(lines) == 6


def test_the_api_gives_the_same_rows_to_staff_only(client, staff_user, focal_point, meeting):
    url = "/api/v1/governance/meetings/ga-11/accreditation"
    client.force_login(focal_point[0])
    assert client.get(url).status_code == 403
    client.force_login(staff_user)
    out = client.get(url).json()
    assert [r["organisation"] for r in out["members"]] == [
        "Accredited 0000",
        "Accredited 0001",
        "Accredited 0002",
        "Accredited Corp",
    ]
    first = out["members"][0]
    assert (first["counts"], first["head_of_delegation"], first["attendance"]) == (
        "voting",
        "Ana Mayor",
        "on_site",
    )
    assert [d["email"] for d in first["delegates"]] == ["ana@accredited.example", ""]
    assert [(r["organisation"], r["counts"]) for r in out["observers"]] == [
        ("Embassy of Erewhon", "observer")
    ]
    assert client.get(url, {"q": "erewhon"}).json()["members"] == []


def test_staff_accredit_a_delegate_with_a_validated_email(client, staff_user, meeting):
    client.force_login(staff_user)
    url = reverse("governance:accredit", args=["ga-11"])
    org = meeting["cities"][2]
    data = {"organisation": org.pk, "name": "Gil New", "role": "member", "mode": "online"}
    answer = client.post(url, {**data, "email": "not-an-address"}, follow=True)
    assert "email: Enter a valid email address." in answer.content.decode()
    assert not Delegate.objects.filter(name="Gil New").exists()
    client.post(url, {**data, "email": "gil@accredited.example"})
    gil = Delegate.objects.get(name="Gil New")
    assert (gil.email, gil.mode, gil.role, gil.organisation) == (
        "gil@accredited.example",
        "online",
        "member",
        org,
    )
    with pytest.raises(Exception, match="is not an e-mail address"):
        domain.delegate_accredit(
            actor=None, meeting=meeting["meeting"], organisation=org, name="X", email="x@"
        )


def test_the_ballot_link_goes_to_the_delegates_own_address(meeting):
    head0 = meeting["head0"]
    ContactFactory(organisation=head0.organisation, name="Ana Mayor", email="registry@city.example")
    sent = ballot_links_send(meeting=meeting["meeting"], actor=None)
    assert sent.queued == 1
    assert list(Message.objects.values_list("to_address", flat=True)) == ["ana@accredited.example"]


def test_the_api_refuses_a_bad_email_naming_the_field(client, staff_user, meeting):
    client.force_login(staff_user)
    org = meeting["cities"][2]
    url = "/api/v1/governance/meetings/ga-11/delegates"
    body = {"organisation_id": org.pk, "name": "Hal", "role": "member", "email": "hal@"}
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 422
    assert "email" in response.content.decode()
    assert not Delegate.objects.filter(name="Hal").exists()
    body["email"] = "hal@accredited.example"
    created = client.post(url, body, content_type="application/json")
    assert created.status_code == 201
    assert "email" not in created.json()  # the public shape leaves it out
    assert Delegate.objects.get(name="Hal").email == "hal@accredited.example"
