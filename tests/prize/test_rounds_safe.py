"""Safe rounds: closing lists what is missing and needs a reason to force; publishing
needs every award and a confirmation, and can be withdrawn; calls close by date; a
superuser scores only through an assignment of their own."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.factories.members import UserFactory
from tests.factories.prize import ApplicationFactory, EvaluatorFactory, make_edition
from urbis.common.actor import Actor
from urbis.common.models import AuditRecord
from urbis.prize import domain, queries
from urbis.prize.models import Application, Assignment, Award, Round

pytestmark = pytest.mark.django_db

SCORES = dict.fromkeys(
    ["problem", "design", "implementation", "monitoring", "impact", "inclusiveness"], 4
)


def _open_round(staff_user, year=2026):
    edition = make_edition(year, reviews=2)
    apps = [
        ApplicationFactory(edition=edition, reference=f"P{year}-0000{i}", country="FR")
        for i in (1, 2)
    ]
    evs = [EvaluatorFactory(edition=edition, name=n, country="KR") for n in ("Ana", "Bo")]
    r1 = edition.rounds.get(number=1)
    domain.round_open(actor=Actor.for_user(staff_user), round_=r1)
    domain.assignments_generate(actor=Actor.for_user(staff_user), round_=r1)
    return edition, r1, apps, evs


def test_close_refused_while_reviews_are_missing_then_forced_with_a_reason(staff_user):
    _edition, r1, apps, evs = _open_round(staff_user)
    done = Assignment.objects.get(round=r1, application=apps[0], evaluator=evs[0])
    domain.review_submit(actor=Actor.for_user(evs[0].user), assignment=done, scores=SCORES)
    missing = queries.round_missing(r1)
    assert [(m.reference, m.evaluator) for m in missing] == [
        ("P2026-00001", "Bo"),
        ("P2026-00002", "Ana"),
        ("P2026-00002", "Bo"),
    ]
    with pytest.raises(ValidationError) as exc:
        domain.round_close(actor=Actor.for_user(staff_user), round_=r1)
    assert exc.value.message_dict == {
        "force_reason": [
            "3 review(s) are missing in round 1 (P2026-00001: Bo; P2026-00002: Ana, Bo); "
            "close anyway only with a reason."
        ]
    }
    assert Round.objects.get(pk=r1.pk).status == "open"
    outcome = domain.round_close(
        actor=Actor.for_user(staff_user), round_=r1, force_reason="Two evaluators withdrew."
    )
    # Only the application with a review has a score: the other cannot advance.
    assert outcome == {"advanced": 1, "missing": 3}
    r1.refresh_from_db()
    assert (r1.status, r1.close_reason) == ("closed", "Two evaluators withdrew.")
    record = AuditRecord.objects.get(action="round.close")
    assert record.after == {
        "status": "closed",
        "advanced": 1,
        "forced": True,
        "reason": "Two evaluators withdrew.",
        "missing": 3,
    }


def test_unassigned_application_counts_as_missing(staff_user):
    edition, r1, _apps, _evs = _open_round(staff_user)
    ApplicationFactory(edition=edition, reference="P2026-00003", country="FR")
    missing = queries.round_missing(r1)
    assert [(m.reference, m.evaluator) for m in missing][-2:] == [
        ("P2026-00003", ""),
        ("P2026-00003", ""),
    ]


def test_close_without_reason_when_every_review_is_done(staff_user):
    _edition, r1, _apps, _evs = _open_round(staff_user)
    for a in Assignment.objects.filter(round=r1).select_related("evaluator__user"):
        domain.review_submit(actor=Actor.for_user(a.evaluator.user), assignment=a, scores=SCORES)
    assert queries.round_missing(r1) == []
    assert domain.round_close(actor=Actor.for_user(staff_user), round_=r1) == {
        "advanced": 2,
        "missing": 0,
    }
    r1.refresh_from_db()
    assert r1.close_reason == ""


def test_publish_needs_every_award_and_a_confirmation_and_can_be_withdrawn(staff_user):
    edition = make_edition(2026)
    assert queries.awards_missing(edition) == [
        "Tech Gold: 0 of 1",
        "Tech Silver: 0 of 2",
        "Tech Corporation: 0 of 1",
        "Human Gold: 0 of 1",
        "Special Gggi: 0 of 1",
    ]
    with pytest.raises(ValidationError, match="Not every award is allocated: Tech Gold: 0 of 1"):
        domain.results_publish(actor=Actor.for_user(staff_user), edition=edition, confirm=True)
    for kind in edition.award_kinds.all():
        for position in range(1, kind.count + 1):
            Award.objects.create(
                kind=kind, application=ApplicationFactory(edition=edition), position=position
            )
    with pytest.raises(ValidationError, match="Confirm that the results go public now"):
        domain.results_publish(actor=Actor.for_user(staff_user), edition=edition)
    assert domain.results_publish(
        actor=Actor.for_user(staff_user), edition=edition, confirm=True
    ).results_published
    with pytest.raises(ValidationError, match="Say why the results are withdrawn"):
        domain.results_withdraw(actor=Actor.for_user(staff_user), edition=edition, reason=" ")
    edition = domain.results_withdraw(
        actor=Actor.for_user(staff_user), edition=edition, reason="Typo in a name"
    )
    assert not edition.results_published
    record = AuditRecord.objects.get(action="results.withdraw")
    assert record.after == {"results_published": False, "reason": "Typo in a name"}


def test_superuser_cannot_score_in_an_evaluators_name(client, staff_user):
    _edition, r1, _apps, evs = _open_round(staff_user)
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    a = Assignment.objects.filter(round=r1, evaluator=evs[0]).first()
    with pytest.raises(PermissionDenied):
        domain.review_submit(actor=Actor.for_user(root), assignment=a, scores=SCORES)
    client.force_login(root)
    url = reverse("prize:review", args=[a.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {k: str(v) for k, v in SCORES.items()}).status_code == 403
    assert not a.scores.exists()


def test_closed_call_offers_no_apply_link_and_no_draft(client):
    make_edition(2023)
    client.force_login(UserFactory(username="late"))
    html = client.get(reverse("prize:index")).content.decode()
    assert reverse("prize:apply", args=[2023]) not in html
    assert "The call is closed." in html
    response = client.get(reverse("prize:apply", args=[2023]))
    assert "The call closed on 2023-07-31." in response.content.decode()
    assert "<form" not in response.content.decode().split("<main")[-1].split("</main>")[0]
    response = client.post(
        reverse("prize:apply", args=[2023]),
        {"category": "1", "applicant_kind": "city", "applicant_name": "Late", "title": "x"},
    )
    assert response.status_code == 200
    assert not Application.objects.exists()


def test_draft_refused_after_the_close_in_the_domain():
    edition = make_edition(2026)
    user = UserFactory(username="late-2026")
    with pytest.raises(ValidationError) as exc:
        domain.application_save_draft(
            actor=Actor.for_user(user),
            edition=edition,
            category=edition.categories.get(code="tech-innovacity"),
            on=dt.date(2026, 8, 1),
            applicant_kind="city",
            applicant_name="Late",
        )
    assert exc.value.message_dict == {"edition": ["The call closed on 2026-07-31."]}


def test_round_close_and_publish_through_the_api(client, staff_user):
    _edition, r1, _apps, _evs = _open_round(staff_user)
    client.force_login(staff_user)
    api = "/api/v1/prize/editions/2026"
    missing = client.get(f"{api}/rounds/1/missing").json()
    assert missing["count"] == 4
    assert missing["items"][0] == {
        "application": "P2026-00001",
        "evaluator": "Ana",
        "assignment_id": Assignment.objects.get(
            round=r1, application__reference="P2026-00001", evaluator__name="Ana"
        ).pk,
    }
    response = client.post(f"{api}/rounds/1/close", {}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"].startswith("force_reason: 4 review(s) are missing")
    response = client.post(
        f"{api}/rounds/1/close", {"force_reason": "Deadline"}, content_type="application/json"
    )
    assert response.json() == {
        "round": 1,
        "status": "closed",
        "advanced": 0,
        "missing": 4,
        "close_reason": "Deadline",
    }
    response = client.post(
        f"{api}/results/publish", {"confirm": True}, content_type="application/json"
    )
    assert response.status_code == 422
    assert "Not every award is allocated" in response.json()["detail"]
