"""Noting a manual review reason through the API."""

import datetime as dt

import pytest

from tests.factories.members import member_since
from urbis.common.models import AuditRecord
from urbis.dues.models import ReviewFlag

pytestmark = pytest.mark.django_db
D = dt.date
FLAGS = "/api/v1/dues/review/flags"


def _flag(client, **data):
    return client.post(FLAGS, data, content_type="application/json")


def test_a_flag_is_noted_and_answered_with_its_ids(client, staff_user):
    org = member_since(D(2018, 1, 1), name="Vanished", category="corporation")
    client.force_login(staff_user)
    response = _flag(
        client,
        organisation=org.slug,
        code="ceased_to_exist",
        noted_on="2023-08-01",
        note="Dissolved in July.",
    )
    assert response.status_code == 201
    flag = ReviewFlag.objects.get()
    assert response.json() == {
        "id": flag.pk,
        "organisation": "vanished",
        "organisation_id": org.pk,
        "code": "ceased_to_exist",
        "noted_on": "2023-08-01",
        "note": "Dissolved in July.",
        "resolved_on": None,
    }
    audit = AuditRecord.objects.get(action="review_flag.record")
    assert (audit.target_id, audit.actor_id) == (str(flag.pk), staff_user.pk)


def test_an_unknown_code_names_the_field_and_an_open_flag_is_a_conflict(client, staff_user):
    org = member_since(D(2018, 1, 1), name="Vanished", category="corporation")
    client.force_login(staff_user)
    response = _flag(client, organisation=org.slug, code="bankrupt")
    assert response.status_code == 422
    assert response.json()["errors"] == {"code": ["Unknown review flag 'bankrupt'."]}
    assert _flag(client, organisation="nobody", code="other").status_code == 404
    assert (
        _flag(client, organisation=org.slug, code="other", noted_on="2023-01-02").status_code == 201
    )
    response = _flag(client, organisation=org.slug, code="other", noted_on="2023-03-04")
    assert response.status_code == 409
    assert response.json()["errors"] == {"code": ["Vanished already has this open flag."]}
    assert ReviewFlag.objects.count() == 1
    assert AuditRecord.objects.filter(action="review_flag.record").count() == 1


def test_a_flag_is_refused_to_a_role_without_the_review(client, excom_user):
    org = member_since(D(2018, 1, 1), name="Vanished", category="corporation")
    assert _flag(client, organisation=org.slug, code="other").status_code == 401
    client.force_login(excom_user)
    assert _flag(client, organisation=org.slug, code="other").status_code == 403
    assert not ReviewFlag.objects.exists()
