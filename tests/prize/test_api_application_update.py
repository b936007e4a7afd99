"""A draft changed through the API, as the application page's "Save draft" does."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories.members import UserFactory
from tests.factories.prize import make_edition
from urbis.common.actor import Actor
from urbis.common.models import AuditRecord
from urbis.prize import domain
from urbis.prize.models import Application

pytestmark = pytest.mark.django_db

API = "/api/v1/prize"


@pytest.fixture
def draft():
    today = timezone.localdate()
    edition = make_edition(
        call_opens=today - dt.timedelta(days=1), call_closes=today + dt.timedelta(days=9)
    )
    user = UserFactory(username="applicant")
    return domain.application_save_draft(
        actor=Actor.for_user(user),
        edition=edition,
        category=edition.categories.get(code="tech-innovacity"),
        applicant_kind="city",
        applicant_name="Lyon",
        title="Old title",
    )


def _patch(client, reference, data):
    return client.patch(f"{API}/applications/{reference}", data, content_type="application/json")


def test_the_applicant_changes_a_draft_and_the_change_is_audited(client, draft):
    client.force_login(draft.submitted_by)
    response = _patch(
        client, draft.reference, {"title": "Green corridors", "category": "human-centricity"}
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["reference"], body["status"], body["category"], body["title"]) == (
        draft.reference,
        "draft",
        "human-centricity",
        "Green corridors",
    )
    assert body["applicant_name"] == "Lyon"  # left out, kept
    record = AuditRecord.objects.get(action="application.update")
    assert record.target_id == str(draft.pk)
    assert record.after["title"] == "Green corridors"
    assert record.before["title"] == "Old title"


def test_a_bad_value_names_the_field_and_changes_nothing(client, draft):
    client.force_login(draft.submitted_by)
    response = _patch(client, draft.reference, {"title": "New", "contact_email": "not-a-mail"})
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["contact_email"]
    response = _patch(client, draft.reference, {"category": "nope"})
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "category": ["Smart City Prize 2023 has no category 'nope'."]
    }
    assert Application.objects.get(pk=draft.pk).title == "Old title"
    assert not AuditRecord.objects.filter(action="application.update").exists()


def test_others_are_refused_and_a_submitted_application_is_no_longer_a_draft(
    client, draft, excom_user
):
    client.force_login(UserFactory(username="stranger"))
    assert _patch(client, draft.reference, {"title": "Mine"}).status_code == 404
    client.force_login(excom_user)
    assert _patch(client, draft.reference, {"title": "Mine"}).status_code == 403
    Application.objects.filter(pk=draft.pk).update(status="submitted")
    client.force_login(draft.submitted_by)
    assert _patch(client, draft.reference, {"title": "Mine"}).status_code == 403
    assert Application.objects.get(pk=draft.pk).title == "Old title"
