"""The prize's staff writes that the pages post, done through the API."""

import pytest

from tests.factories.prize import (
    ApplicationFactory,
    AssignmentFactory,
    EvaluatorFactory,
    make_edition,
)
from urbis.common.models import AuditRecord
from urbis.prize.models import Application, Assignment, Conflict, Score

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


def test_detect_conflicts_counts_the_new_ones_once(client, staff_user):
    edition = make_edition()
    app = ApplicationFactory(edition=edition, country="FR")
    ApplicationFactory(edition=edition, country="DE")
    judge = EvaluatorFactory(edition=edition, country="FR")
    client.force_login(staff_user)
    response = _post(client, f"{API}/editions/2023/conflicts/detect")
    assert (response.status_code, response.json()) == (200, {"year": 2023, "detected": 1})
    conflict = Conflict.objects.get()
    assert (conflict.evaluator, conflict.application, conflict.source) == (judge, app, "country")
    assert _post(client, f"{API}/editions/2023/conflicts/detect").json()["detected"] == 0
    records = AuditRecord.objects.filter(action="conflict.detect").order_by("id")
    assert [r.after for r in records] == [{"created": 1}, {"created": 0}]
    assert _post(client, f"{API}/editions/1999/conflicts/detect").status_code == 404


def test_open_then_assign_a_round(client, staff_user):
    edition = make_edition(reviews=1)
    ApplicationFactory(edition=edition, country="FR")
    ApplicationFactory(edition=edition, country="FR")
    EvaluatorFactory(edition=edition)
    EvaluatorFactory(edition=edition)
    round_ = edition.rounds.get(number=1)
    client.force_login(staff_user)
    response = _post(client, f"{API}/editions/2023/rounds/1/open")
    assert (response.status_code, response.json()) == (
        200,
        {"id": round_.pk, "edition": 2023, "number": 1, "status": "open"},
    )
    response = _post(client, f"{API}/editions/2023/rounds/1/assign")
    assert (response.status_code, response.json()) == (200, {"round": 1, "assigned": 2})
    assert Assignment.objects.filter(round=round_).count() == 2
    assert list(
        AuditRecord.objects.filter(target_id=str(round_.pk))
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["round.open", "assignment.generate"]


def test_open_and_assign_refusals_name_the_field(client, staff_user):
    edition = make_edition(reviews=1)
    ApplicationFactory(edition=edition)
    client.force_login(staff_user)
    response = _post(client, f"{API}/editions/2023/rounds/2/open")
    assert response.status_code == 422
    assert response.json()["errors"] == {"status": ["Close the earlier rounds first."]}
    assert edition.rounds.get(number=2).status == "planned"
    _post(client, f"{API}/editions/2023/rounds/1/open")
    EvaluatorFactory(edition=edition)
    assert _post(client, f"{API}/editions/2023/rounds/1/assign").status_code == 200
    response = _post(client, f"{API}/editions/2023/rounds/1/assign")
    assert response.status_code == 422
    assert response.json()["errors"] == {"round": ["Round 1 already has assignments."]}
    assert Assignment.objects.count() == 1
    assert _post(client, f"{API}/editions/2023/rounds/9/open").status_code == 404


def test_allocate_awards_needs_the_final_round_closed(client, staff_user):
    edition = make_edition()
    client.force_login(staff_user)
    response = _post(client, f"{API}/editions/2023/awards/allocate")
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "round": ["Close the final round before allocating awards."]
    }
    final = edition.rounds.get(number=3)
    judge = EvaluatorFactory(edition=edition)
    strong, weak = (ApplicationFactory(edition=edition, reached_round=3) for _ in range(2))
    for app, value in [(strong, 5), (weak, 2)]:
        assignment = AssignmentFactory(round=final, evaluator=judge, application=app)
        for criterion in edition.criteria.all():
            Score.objects.create(assignment=assignment, criterion=criterion, value=value)
    edition.rounds.update(status="closed")
    response = _post(client, f"{API}/editions/2023/awards/allocate")
    assert (response.status_code, response.json()) == (
        200,
        {
            "year": 2023,
            "awards": {
                "tech-gold": [strong.reference],
                "tech-silver": [weak.reference],
                "tech-corporation": [],
                "human-gold": [],
            },
        },
    )
    assert AuditRecord.objects.filter(action="awards.allocate").count() == 1


@pytest.mark.parametrize(
    "path", ["conflicts/detect", "rounds/1/open", "rounds/1/assign", "awards/allocate"]
)
def test_the_staff_page_buttons_are_refused_to_excom(client, excom_user, path):
    make_edition()
    client.force_login(excom_user)
    assert _post(client, f"{API}/editions/2023/{path}").status_code == 403
    assert not AuditRecord.objects.exists()


def test_settings_change_both_and_audit_each(client, staff_user):
    edition = make_edition()
    client.force_login(staff_user)
    response = client.patch(
        f"{API}/editions/2023/settings",
        {"aggregation": "median", "agreement_level": "interval"},
        content_type="application/json",
    )
    assert (response.status_code, response.json()) == (
        200,
        {"year": 2023, "aggregation": "median", "agreement_level": "interval"},
    )
    edition.refresh_from_db()
    assert (edition.aggregation, edition.agreement_level) == ("median", "interval")
    records = AuditRecord.objects.filter(target_id=str(edition.pk)).order_by("id")
    assert [(r.action, r.after) for r in records] == [
        ("edition.aggregation", {"aggregation": "median"}),
        ("edition.agreement_level", {"agreement_level": "interval"}),
    ]


def test_settings_bad_value_names_the_field_and_changes_nothing(client, staff_user):
    edition = make_edition()
    before = (edition.aggregation, edition.agreement_level)
    client.force_login(staff_user)
    response = client.patch(
        f"{API}/editions/2023/settings",
        {"aggregation": "median", "agreement_level": "loud"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["agreement_level"]
    edition.refresh_from_db()
    assert (edition.aggregation, edition.agreement_level) == before
    assert not AuditRecord.objects.exists()
    response = client.patch(f"{API}/editions/2023/settings", {}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "__all__": ["Give the aggregation, the agreement level or both to change."]
    }


def test_settings_are_refused_to_excom(client, excom_user):
    edition = make_edition()
    client.force_login(excom_user)
    response = client.patch(
        f"{API}/editions/2023/settings", {"aggregation": "median"}, content_type="application/json"
    )
    assert response.status_code == 403
    edition.refresh_from_db()
    assert edition.aggregation != "median"
