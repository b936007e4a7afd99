"""The prize's staff writes that the pages post, done through the API."""

import pytest

from tests.factories.prize import ApplicationFactory, make_edition
from urbis.common.models import AuditRecord
from urbis.prize.models import Application

pytestmark = pytest.mark.django_db

API = "/api/v1/prize"


def _post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def test_triage_marks_an_application_eligible_and_audits_it(client, staff_user):
    app = ApplicationFactory(edition=make_edition(), status="submitted", reached_round=0)
    client.force_login(staff_user)
    response = _post(client, f"{API}/applications/{app.reference}/triage", {"eligible": True})
    assert response.status_code == 200
    assert response.json() == {
        "reference": app.reference,
        "status": "eligible",
        "triage_note": "",
        "reached_round": 1,
    }
    record = AuditRecord.objects.get(action="application.triage")
    assert (record.target_id, record.actor) == (str(app.pk), staff_user)


def test_triage_ineligible_without_a_note_names_the_field(client, staff_user):
    app = ApplicationFactory(edition=make_edition(), status="submitted", reached_round=0)
    client.force_login(staff_user)
    response = _post(client, f"{API}/applications/{app.reference}/triage", {"eligible": False})
    assert response.status_code == 422
    assert response.json()["errors"] == {"triage_note": ["Say why the application is ineligible."]}
    assert Application.objects.get(pk=app.pk).status == "submitted"
    assert not AuditRecord.objects.filter(action="application.triage").exists()


def test_triage_is_refused_to_excom_and_unknown_reference_is_404(client, excom_user, staff_user):
    app = ApplicationFactory(edition=make_edition(), status="submitted", reached_round=0)
    client.force_login(excom_user)
    response = _post(client, f"{API}/applications/{app.reference}/triage", {"eligible": True})
    assert response.status_code == 403
    assert Application.objects.get(pk=app.pk).status == "submitted"
    client.force_login(staff_user)
    assert _post(client, f"{API}/applications/NOPE/triage", {"eligible": True}).status_code == 404
