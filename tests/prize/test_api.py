import datetime as dt

import pytest
from django.utils import timezone

from tests.factories.members import UserFactory
from tests.factories.prize import ApplicationFactory, EvaluatorFactory, make_edition
from urbis.common.actor import Actor
from urbis.prize import domain
from urbis.prize.models import Application, Assignment, Award

pytestmark = pytest.mark.django_db

API = "/api/v1/prize"


def test_applicant_sees_own_applications_only(client):
    edition = make_edition()
    mine = ApplicationFactory(edition=edition, submitted_by=UserFactory(username="me"))
    theirs = ApplicationFactory(edition=edition, submitted_by=UserFactory(username="them"))
    client.force_login(mine.submitted_by)
    refs = [a["reference"] for a in client.get(f"{API}/applications").json()["items"]]
    assert refs == [mine.reference]
    assert client.get(f"{API}/applications/{theirs.reference}").status_code == 404
    assert (
        client.get(f"{API}/applications/{mine.reference}").json()["category"] == "tech-innovacity"
    )


def test_staff_sees_all_and_anonymous_none(client, staff_user):
    edition = make_edition()
    ApplicationFactory(edition=edition)
    ApplicationFactory(edition=edition)
    assert client.get(f"{API}/applications").status_code == 401
    client.force_login(staff_user)
    assert client.get(f"{API}/applications", {"edition": 2023}).json()["count"] == 2


def test_create_refuses_individual_outside_leadership(client):
    today = timezone.localdate()
    make_edition(call_opens=today - dt.timedelta(days=1), call_closes=today + dt.timedelta(days=9))
    client.force_login(UserFactory(username="mayor"))
    payload = {
        "edition": 2023,
        "category": "human-centricity",
        "applicant_kind": "individual",
        "applicant_name": "A Mayor",
        "country": "TR",
        "title": "Leadership",
        "summary": "Vision.",
    }
    response = client.post(f"{API}/applications", payload, content_type="application/json")
    assert response.status_code == 201
    ref = response.json()["reference"]
    response = client.post(f"{API}/applications/{ref}/submit")
    assert response.status_code == 422
    assert "Individuals may apply only in Leadership" in response.json()["detail"]
    assert Application.objects.get(reference=ref).status == "draft"


def test_evaluator_reviews_own_assignment_only(client, staff_user):
    edition = make_edition(reviews=1)
    ApplicationFactory(edition=edition, country="FR")
    ApplicationFactory(edition=edition, country="FR")
    ev1, ev2 = EvaluatorFactory(edition=edition), EvaluatorFactory(edition=edition)
    r1 = edition.rounds.get(number=1)
    domain.round_open(actor=Actor.for_user(staff_user), round_=r1)
    domain.assignments_generate(actor=Actor.for_user(staff_user), round_=r1)
    mine = Assignment.objects.get(evaluator=ev1)
    other = Assignment.objects.get(evaluator=ev2)
    client.force_login(ev1.user)
    listed = client.get(f"{API}/assignments").json()["items"]
    assert [a["id"] for a in listed] == [mine.pk]
    assert client.get(f"{API}/assignments/{other.pk}").status_code == 404
    scores = {
        c: 3
        for c in ["problem", "design", "implementation", "monitoring", "impact", "inclusiveness"]
    }
    response = client.post(
        f"{API}/assignments/{other.pk}/review", {"scores": scores}, content_type="application/json"
    )
    assert response.status_code == 404
    response = client.post(
        f"{API}/assignments/{mine.pk}/review", {"scores": scores}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["scores"] == scores
    bad = client.post(
        f"{API}/assignments/{mine.pk}/review",
        {"scores": {**scores, "impact": 9}},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert bad.json()["detail"] == "impact: Scores run from 1 to 5."
    # the API's one error body: the field named in `errors` too
    assert bad.json()["errors"] == {"impact": ["Scores run from 1 to 5."]}


def test_public_results_and_staff_ranking(client, staff_user):
    edition = make_edition(results_published=True)
    app = ApplicationFactory(edition=edition, applicant_name="Wellington")
    Award.objects.create(kind=edition.award_kinds.get(code="tech-gold"), application=app)
    rows = client.get(f"{API}/editions/2023/results").json()
    assert rows == [
        {
            "award": "Tech Gold",
            "category": "Tech-InnovaCity",
            "partner": "",
            "recipient": "Wellington",
            "recipient_title": "",
            "project": app.title,
            "country": "FR",
        }
    ]
    assert client.get(f"{API}/editions/2023/rounds/1/ranking").status_code == 401
    client.force_login(staff_user)
    ranking = client.get(f"{API}/editions/2023/rounds/1/ranking").json()
    assert [r["reference"] for r in ranking] == [app.reference]
    assert ranking[0]["score"] is None


def test_evaluator_declares_conflict_through_the_api(client, staff_user):
    edition = make_edition(reviews=1)
    ApplicationFactory(edition=edition)
    ev = EvaluatorFactory(edition=edition)
    r1 = edition.rounds.get(number=1)
    domain.round_open(actor=Actor.for_user(staff_user), round_=r1)
    domain.assignments_generate(actor=Actor.for_user(staff_user), round_=r1)
    a = Assignment.objects.get()
    client.force_login(ev.user)
    url = f"{API}/assignments/{a.pk}/conflict"
    assert client.post(url, {"reason": " "}, content_type="application/json").status_code == 422
    assert (
        client.post(url, {"reason": "Adviser"}, content_type="application/json").status_code == 204
    )
    assert not Assignment.objects.exists()
    assert client.get(f"{API}/assignments").json() == {"items": [], "count": 0}


@pytest.mark.parametrize("path", ["applications", "assignments"])
def test_lists_refuse_a_page_beyond_the_bound(client, staff_user, path):
    """Found by fuzzing: a page number past 64 bits was a 500 on PostgreSQL."""
    client.force_login(staff_user)
    response = client.get(f"{API}/{path}", {"page": 6487570899687652641041102667776})
    assert response.status_code == 422
    assert client.get(f"{API}/{path}", {"page": 1_000_000}).status_code == 200


def test_no_draft_after_the_call_closes(client):
    make_edition()  # the 2023 call closed on 2023-07-31
    client.force_login(UserFactory(username="late"))
    payload = {
        "edition": 2023,
        "category": "tech-innovacity",
        "applicant_kind": "city",
        "applicant_name": "Late City",
        "city": "Late City",
        "country": "FR",
    }
    response = client.post(f"{API}/applications", payload, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"] == "edition: The call closed on 2023-07-31."
    assert not Application.objects.exists()
