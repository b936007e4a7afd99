"""Expertise and bids (page and API), the staff's conflicts page and waivers through
the API, drafts through the API."""

import pytest
from django.urls import reverse

from tests.factories.prize import ApplicationFactory, EvaluatorFactory, make_edition
from urbis.common.actor import Actor
from urbis.prize import domain
from urbis.prize.models import Assignment, Bid, Conflict

pytestmark = pytest.mark.django_db

API = "/api/v1/prize"


def test_bids_page_saves_expertise_and_bids(client):
    edition = make_edition(2026)
    app = ApplicationFactory(edition=edition, reference="P2026-00001")
    ev = EvaluatorFactory(edition=edition, name="Ana")
    client.force_login(ev.user)
    url = reverse("prize:bids", args=[2026])
    assert "P2026-00001" in client.get(url).content.decode()
    client.post(url, {"expertise": "Mobility,  health ,", f"bid-{app.pk}": "eager"})
    ev.refresh_from_db()
    assert ev.expertise == ["health", "Mobility"]
    assert Bid.objects.get(evaluator=ev, application=app).level == "eager"
    response = client.post(url, {"expertise": "", "bid-x1": "eager"}, follow=True)
    assert "x1: &#x27;x1&#x27; is not an application id." in response.content.decode()
    response = client.post(url, {"expertise": "", f"bid-{app.pk}": "keen"}, follow=True)
    assert "Unknown bid &#x27;keen&#x27;" in response.content.decode()
    client.post(url, {"expertise": "", f"bid-{app.pk}": ""})
    assert not Bid.objects.exists()


def test_bids_page_refuses_a_non_evaluator(client, staff_user):
    make_edition(2026)
    client.force_login(staff_user)
    assert client.get(reverse("prize:bids", args=[2026])).status_code == 403


def test_bids_through_the_api(client):
    edition = make_edition(2026)
    ApplicationFactory(edition=edition, reference="P2026-00001")
    ev = EvaluatorFactory(edition=edition, name="Ana")
    client.force_login(ev.user)
    payload = {"expertise": ["Mobility"], "bids": {"P2026-00001": "willing"}}
    response = client.put(f"{API}/editions/2026/my/bids", payload, content_type="application/json")
    assert response.json() == {
        "evaluator": ev.pk,
        "expertise": ["Mobility"],
        "bids": {"P2026-00001": "willing"},
    }
    payload = {"bids": {"P2026-09999": "willing"}}
    response = client.put(f"{API}/editions/2026/my/bids", payload, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"] == "bids: no application P2026-09999 in 2026."


def test_conflicts_page_waives_and_is_paginated(client, staff_user, django_assert_max_num_queries):
    edition = make_edition(2026)
    for _ in range(5):
        ApplicationFactory(edition=edition, country="US")
    for name in ("Ana", "Bo"):
        EvaluatorFactory(edition=edition, country="US", name=name)
    domain.conflicts_detect(actor=Actor.for_user(staff_user), edition=edition)
    client.force_login(staff_user)
    url = reverse("prize:conflicts", args=[2026])
    with django_assert_max_num_queries(8):
        html = client.get(url).content.decode()
    assert "(10 conflicts)" in html
    conflict = Conflict.objects.order_by("pk").first()
    client.post(url, {"conflict": str(conflict.pk), "reason": "Different states"})
    conflict.refresh_from_db()
    assert conflict.waived
    response = client.post(url, {"conflict": "abc", "reason": "x"}, follow=True)
    assert "conflict: &#x27;abc&#x27; is not a conflict of this edition." in (
        response.content.decode()
    )


def test_conflict_waive_and_draft_through_the_api(client, staff_user):
    edition = make_edition(2026, reviews=1)
    app = ApplicationFactory(edition=edition, country="US", reference="P2026-00001")
    ev = EvaluatorFactory(edition=edition, country="US")
    domain.conflicts_detect(actor=Actor.for_user(staff_user), edition=edition)
    conflict = Conflict.objects.get()
    client.force_login(staff_user)
    assert client.get(f"{API}/editions/2026/conflicts").json()["count"] == 1
    response = client.post(
        f"{API}/conflicts/{conflict.pk}/waive", {"reason": ""}, content_type="application/json"
    )
    assert response.status_code == 422
    response = client.post(
        f"{API}/conflicts/{conflict.pk}/waive",
        {"reason": "Different states"},
        content_type="application/json",
    )
    assert response.json()["waived"] is True
    r1 = edition.rounds.get(number=1)
    domain.round_open(actor=Actor.for_user(staff_user), round_=r1)
    domain.assignments_generate(actor=Actor.for_user(staff_user), round_=r1)
    a = Assignment.objects.get(application=app, evaluator=ev)
    client.force_login(ev.user)
    response = client.post(
        f"{API}/assignments/{a.pk}/draft",
        {"scores": {"problem": 4}, "comment": "So far so good."},
        content_type="application/json",
    )
    body = response.json()
    assert body["draft"] == {"scores": {"problem": 4}, "comments": {}, "comment": "So far so good."}
    assert (body["applicant"], body["blind"], body["deadline"]) == (
        app.applicant_name,
        False,
        r1.closes.isoformat(),
    )
    assert client.get(f"{API}/my/progress").json() == [
        {
            "round": "Round 1",
            "deadline": r1.closes.isoformat(),
            "status": "open",
            "done": 0,
            "total": 1,
        }
    ]
