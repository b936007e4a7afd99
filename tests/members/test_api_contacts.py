"""A member's contacts written through the API: the same rule and domain call as the pages."""

import pytest
from django.test import Client

from tests.factories.members import ContactFactory, OrganisationFactory
from urbis.common.models import AuditRecord
from urbis.members.models import Contact

pytestmark = pytest.mark.django_db
BASE = "/api/v1/members"
JSON = "application/json"


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_staff_creates_a_focal_point_with_sign_in(staff_user, focal_point):
    focal_user, _ = focal_point
    other = OrganisationFactory(name="Other City")
    payload = {
        "name": "Ana Lima",
        "position": "Deputy Mayor",
        "email": "ana@other.example",
        "mayoral_level": True,
        "language": "fr",
        "is_focal_point": True,
        "user_id": focal_user.pk,
    }
    response = _client(staff_user).post(
        f"{BASE}/organisations/{other.slug}/contacts", payload, content_type=JSON
    )
    assert response.status_code == 201
    contact = Contact.objects.get(organisation=other)
    assert response.json() == {
        "id": contact.pk,
        "name": "Ana Lima",
        "position": "Deputy Mayor",
        "email": "ana@other.example",
        "phone": "",
        "mayoral_level": True,
        "is_focal_point": True,
        "language": "fr",
        "user_id": focal_user.pk,
    }
    record = AuditRecord.objects.get(action="contact.save")
    assert (record.actor, record.target_id) == (staff_user, str(contact.pk))


def test_a_focal_point_adds_a_contact_to_its_own_member_without_sign_in_rights(focal_point):
    user, org = focal_point
    url = f"{BASE}/organisations/{org.slug}/contacts"
    client = _client(user)
    response = client.post(url, {"name": "Jo Park", "position": "Officer"}, content_type=JSON)
    assert response.status_code == 201
    assert (response.json()["name"], response.json()["language"]) == ("Jo Park", "en")
    granting = client.post(url, {"name": "Mo Lee", "is_focal_point": True}, content_type=JSON)
    assert granting.status_code == 403
    assert granting.json() == {"detail": "A focal point may not change: is_focal_point"}
    assert sorted(org.contacts.values_list("name", flat=True)) == ["Focal Person", "Jo Park"]


def test_a_focal_point_or_excom_may_not_write_another_members_contacts(excom_user, focal_point):
    user, _ = focal_point
    other = OrganisationFactory(name="Other City")
    contact = ContactFactory(organisation=other, name="Mayor Kim", position="Mayor")
    for someone in (user, excom_user):
        client = _client(someone)
        new = client.post(
            f"{BASE}/organisations/{other.slug}/contacts", {"name": "X"}, content_type=JSON
        )
        assert new.status_code == 403
        edit = client.patch(
            f"{BASE}/organisations/{other.slug}/contacts/{contact.pk}",
            {"phone": "1"},
            content_type=JSON,
        )
        assert edit.status_code == 403
        assert edit.json() == {
            "detail": f"Permission 'members.change_contacts' is not granted to {someone.username}."
        }
    assert list(other.contacts.values_list("name", "phone")) == [("Mayor Kim", "")]
    assert AuditRecord.objects.count() == 0


def test_validation_errors_name_the_field_and_write_nothing(staff_user):
    org = OrganisationFactory(name="Seoul")
    url = f"{BASE}/organisations/{org.slug}/contacts"
    client = _client(staff_user)
    bad_email = client.post(url, {"name": "Ana", "email": "nope"}, content_type=JSON)
    assert bad_email.status_code == 422
    assert bad_email.json()["errors"] == {"email": ["Enter a valid email address."]}
    no_name = client.post(url, {"position": "Mayor"}, content_type=JSON)
    assert no_name.status_code == 422
    assert list(no_name.json()["errors"]) == ["name"]
    no_user = client.post(url, {"name": "Ana", "user_id": 999999}, content_type=JSON)
    assert no_user.status_code == 422
    assert list(no_user.json()["errors"]) == ["user"]
    assert Contact.objects.count() == 0
    assert AuditRecord.objects.count() == 0


def test_a_change_touches_only_the_fields_sent(focal_point):
    user, org = focal_point
    contact = ContactFactory(organisation=org, name="Jo Park", position="Officer", phone="1")
    url = f"{BASE}/organisations/{org.slug}/contacts/{contact.pk}"
    response = _client(user).patch(url, {"phone": "+82 2 120"}, content_type=JSON)
    assert response.status_code == 200
    assert (response.json()["id"], response.json()["phone"]) == (contact.pk, "+82 2 120")
    contact.refresh_from_db()
    assert (contact.name, contact.position, contact.phone) == ("Jo Park", "Officer", "+82 2 120")
    record = AuditRecord.objects.get(action="contact.save")
    assert (record.before["phone"], record.after["phone"]) == ("1", "+82 2 120")


def test_a_contact_of_another_member_is_not_found(staff_user):
    org = OrganisationFactory(name="Seoul")
    elsewhere = ContactFactory(organisation=OrganisationFactory(name="Other City"))
    url = f"{BASE}/organisations/{org.slug}/contacts/{elsewhere.pk}"
    response = _client(staff_user).patch(url, {"phone": "1"}, content_type=JSON)
    assert response.status_code == 404
    assert (
        _client(staff_user)
        .patch(f"{BASE}/organisations/nowhere/contacts/{elsewhere.pk}", {}, content_type=JSON)
        .status_code
        == 404
    )
