"""Every prize page and endpoint against every role: the expected status code."""

import pytest
from django.urls import reverse

from tests.factories.members import UserFactory
from tests.factories.prize import ApplicationFactory, EvaluatorFactory, make_edition
from urbis.common.actor import Actor
from urbis.prize import domain
from urbis.prize.models import Assignment, Award

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "applicant", "focal", "evaluator", "excom", "staff"]


@pytest.fixture
def world(staff_user, excom_user, focal_point):
    edition = make_edition(reviews=1, results_published=True)
    applicant = UserFactory(username="applicant")
    app = ApplicationFactory(edition=edition, submitted_by=applicant, country="FR")
    ev = EvaluatorFactory(edition=edition, country="US")
    r1 = edition.rounds.get(number=1)
    domain.round_open(actor=Actor.for_user(staff_user), round_=r1)
    domain.assignments_generate(actor=Actor.for_user(staff_user), round_=r1)
    award = Award.objects.create(kind=edition.award_kinds.get(code="tech-gold"), application=app)
    users = {
        "anonymous": None,
        "applicant": applicant,
        "focal": focal_point[0],
        "evaluator": ev.user,
        "excom": excom_user,
        "staff": staff_user,
    }
    return {
        "users": users,
        "app": app,
        "assignment": Assignment.objects.get(),
        "award": award,
    }


def _pages(w):
    ref, pk = w["app"].reference, w["assignment"].pk
    return [
        # (url, {role: status})
        (reverse("prize:index"), dict.fromkeys(ROLES, 200)),
        (reverse("prize:results", args=[2023]), dict.fromkeys(ROLES, 200)),
        (reverse("prize:certificate", args=[2023, w["award"].pk]), dict.fromkeys(ROLES, 200)),
        (
            reverse("prize:run_sheet", args=[2023]),
            {
                "anonymous": 302,
                "applicant": 403,
                "focal": 403,
                "evaluator": 403,
                "excom": 403,
                "staff": 200,
            },
        ),
        (
            reverse("prize:round", args=[2023, 1]),
            {
                "anonymous": 302,
                "applicant": 403,
                "focal": 403,
                "evaluator": 403,
                "excom": 200,
                "staff": 200,
            },
        ),
        (
            reverse("prize:manage", args=[2023]),
            {
                "anonymous": 302,
                "applicant": 403,
                "focal": 403,
                "evaluator": 403,
                "excom": 403,
                "staff": 200,
            },
        ),
        (
            reverse("prize:triage", args=[2023]),
            {
                "anonymous": 302,
                "applicant": 403,
                "focal": 403,
                "evaluator": 403,
                "excom": 403,
                "staff": 200,
            },
        ),
        (
            reverse("prize:edit", args=[2023, ref]),
            {
                "anonymous": 302,
                "applicant": 200,
                "focal": 403,
                "evaluator": 200,
                "excom": 200,
                "staff": 200,
            },
        ),
        (
            reverse("prize:review", args=[pk]),
            {
                "anonymous": 302,
                "applicant": 403,
                "focal": 403,
                "evaluator": 200,
                "excom": 403,
                "staff": 403,
            },
        ),
        (reverse("prize:my_reviews"), {**dict.fromkeys(ROLES, 200), "anonymous": 302}),
        (reverse("prize:my_applications"), {**dict.fromkeys(ROLES, 200), "anonymous": 302}),
        (
            f"/api/v1/prize/applications/{ref}",
            {
                "anonymous": 401,
                "applicant": 200,
                "focal": 404,
                "evaluator": 200,
                "excom": 200,
                "staff": 200,
            },
        ),
        (
            f"/api/v1/prize/assignments/{pk}",
            {
                "anonymous": 401,
                "applicant": 404,
                "focal": 404,
                "evaluator": 200,
                "excom": 404,
                "staff": 404,
            },
        ),
        (
            "/api/v1/prize/editions/2023/rounds/1/ranking",
            {
                "anonymous": 401,
                "applicant": 403,
                "focal": 403,
                "evaluator": 403,
                "excom": 200,
                "staff": 200,
            },
        ),
        ("/api/v1/prize/editions/2023/results", dict.fromkeys(ROLES, 200)),
        ("/api/v1/prize/applications", {**dict.fromkeys(ROLES, 200), "anonymous": 401}),
        ("/api/v1/prize/assignments", {**dict.fromkeys(ROLES, 200), "anonymous": 401}),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_page_and_endpoint_for_every_role(client, world, role):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    got = {url: client.get(url).status_code for url, _ in _pages(world)}
    expected = {url: statuses[role] for url, statuses in _pages(world)}
    assert got == expected
