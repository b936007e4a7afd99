import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories.members import UserFactory
from tests.factories.prize import (
    ApplicationFactory,
    EvaluatorFactory,
    make_edition,
)
from urbis.common.actor import Actor
from urbis.common.models import AuditRecord
from urbis.prize import domain
from urbis.prize.models import Application, Assignment, Award, Score

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_call(monkeypatch):
    """An edition whose call is open today."""
    today = timezone.localdate()
    return make_edition(
        year=today.year,
        call_opens=today - dt.timedelta(days=1),
        call_closes=today + dt.timedelta(days=30),
    )


def _form(category, **overrides):
    data = {
        "category": category.pk,
        "applicant_kind": "city",
        "applicant_name": "Odense",
        "city": "Odense",
        "country": "DK",
        "title": "LEAP",
        "summary": "Digital citizen involvement.",
    }
    data.update(overrides)
    return data


def test_application_form_draft_then_submit(client, open_call, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    user = UserFactory(username="odense")
    client.force_login(user)
    category = open_call.categories.get(code="human-centricity")
    url = reverse("prize:apply", args=[open_call.year])
    data = _form(
        category, document=SimpleUploadedFile("plan.pdf", b"%PDF-1.4"), document_title="Plan"
    )
    response = client.post(url, {**data, "save": "1"})
    app = Application.objects.get()
    assert response.status_code == 302
    assert (app.status, app.submitted_by, app.documents.get().title) == ("draft", user, "Plan")
    response = client.post(
        reverse("prize:edit", args=[open_call.year, app.reference]),
        {**_form(category), "submit": "1"},
    )
    assert response.status_code == 302
    assert Application.objects.get().status == "submitted"


def test_application_form_refuses_an_individual_outside_leadership(client, open_call):
    client.force_login(UserFactory(username="mayor"))
    category = open_call.categories.get(code="tech-innovacity")
    response = client.post(
        reverse("prize:apply", args=[open_call.year]),
        {**_form(category, applicant_kind="individual", city=""), "submit": "1"},
    )
    assert response.status_code == 200
    assert (
        "Individuals may apply only in Leadership, not in Tech-InnovaCity."
        in response.content.decode()
    )
    assert Application.objects.get().status == "draft"


def test_someone_elses_draft_is_forbidden(client, open_call):
    app = ApplicationFactory(
        edition=open_call, status="draft", submitted_by=UserFactory(username="a")
    )
    client.force_login(UserFactory(username="b"))
    response = client.get(reverse("prize:edit", args=[open_call.year, app.reference]))
    assert response.status_code == 403


def test_triage_page_staff_only_with_query_guard(client, staff_user, focal_point):
    edition = make_edition()
    ApplicationFactory(edition=edition, status="submitted")
    url = reverse("prize:triage", args=[2023])
    client.force_login(focal_point[0])
    assert client.get(url).status_code == 403
    client.force_login(staff_user)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    for _ in range(10):
        ApplicationFactory(edition=edition, status="submitted")
    assert queries() == few
    app = Application.objects.order_by("reference").first()
    client.post(
        reverse("prize:triage_decide", args=[app.reference]),
        {"eligible": "0", "note": "Out of scope"},
    )
    app.refresh_from_db()
    assert (app.status, app.triage_note) == ("ineligible", "Out of scope")


def _assigned(staff_user, n_apps=6):
    edition = make_edition(reviews=2)
    apps = [ApplicationFactory(edition=edition, country="FR") for _ in range(n_apps)]
    evs = [EvaluatorFactory(edition=edition, country=c) for c in ("US", "BR", "FR")]
    domain.conflicts_detect(actor=Actor.for_user(staff_user), edition=edition)
    r1 = edition.rounds.get(number=1)
    domain.round_open(actor=Actor.for_user(staff_user), round_=r1)
    domain.assignments_generate(actor=Actor.for_user(staff_user), round_=r1)
    return edition, apps, evs


def test_evaluator_sees_only_own_assignments(client, staff_user):
    _, _apps, evs = _assigned(staff_user)
    client.force_login(evs[0].user)
    response = client.get(reverse("prize:my_reviews"))
    own = set(
        Assignment.objects.filter(evaluator=evs[0]).values_list("application__reference", flat=True)
    )
    html = response.content.decode()
    assert own and all(ref in html for ref in own)
    other = (
        Assignment.objects.filter(evaluator=evs[1]).exclude(application__reference__in=own).first()
    )
    if other:
        assert client.get(reverse("prize:review", args=[other.pk])).status_code == 403
    # The French evaluator conflicts with every (French) application: nothing assigned.
    client.force_login(evs[2].user)
    assert not Assignment.objects.filter(evaluator=evs[2]).exists()
    assert "Nothing assigned to you." in client.get(reverse("prize:my_reviews")).content.decode()


def test_review_page_saves_scores_and_declares_conflict(client, staff_user):
    _, _, evs = _assigned(staff_user)
    a = Assignment.objects.filter(evaluator=evs[0]).order_by("pk").first()
    client.force_login(evs[0].user)
    url = reverse("prize:review", args=[a.pk])
    codes = ["problem", "design", "implementation", "monitoring", "impact", "inclusiveness"]
    response = client.post(url, {**dict.fromkeys(codes, "4"), "impact": ""})
    assert "A whole-number score is required." in response.content.decode()
    assert client.post(url, dict.fromkeys(codes, "4")).status_code == 302
    assert list(Score.objects.filter(assignment=a).values_list("value", flat=True)) == [4] * 6
    b = Assignment.objects.filter(evaluator=evs[0]).order_by("pk").last()
    client.post(
        reverse("prize:review", args=[b.pk]), {"conflict": "1", "reason": "Former employer"}
    )
    assert not Assignment.objects.filter(pk=b.pk).exists()


def test_unpublished_results_are_not_public(client, staff_user):
    make_edition()
    assert client.get(reverse("prize:results", args=[2023])).status_code == 404
    client.force_login(staff_user)
    assert client.get(reverse("prize:results", args=[2023])).status_code == 200


def test_results_page_query_count_does_not_grow(client):
    edition = make_edition(results_published=True)
    kind = edition.award_kinds.get(code="tech-silver")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("prize:results", args=[2023])).status_code == 200
        return len(ctx.captured_queries)

    Award.objects.create(kind=kind, application=ApplicationFactory(edition=edition), position=1)
    few = count()
    Award.objects.create(kind=kind, application=ApplicationFactory(edition=edition), position=2)
    for code in ("tech-gold", "tech-corporation", "human-gold"):
        Award.objects.create(
            kind=edition.award_kinds.get(code=code), application=ApplicationFactory(edition=edition)
        )
    assert count() == few


def test_prize_index_lists_editions(client):
    make_edition()
    response = client.get(reverse("prize:index"))
    assert b"Smart City Prize 2023" in response.content


def test_my_reviews_query_count_does_not_grow(client, staff_user):
    edition = make_edition(reviews=1)
    ev = EvaluatorFactory(edition=edition, country="US")
    ApplicationFactory(edition=edition)
    r1 = edition.rounds.get(number=1)
    domain.round_open(actor=Actor.for_user(staff_user), round_=r1)
    domain.assignments_generate(actor=Actor.for_user(staff_user), round_=r1)
    client.force_login(ev.user)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("prize:my_reviews")).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    r2 = edition.rounds.get(number=2)
    for _ in range(5):
        Assignment.objects.create(
            round=r2, evaluator=ev, application=ApplicationFactory(edition=edition)
        )
    assert count() == few


def test_manage_page_runs_an_edition(client, staff_user):
    edition = make_edition(reviews=1)
    for _ in range(4):
        ApplicationFactory(edition=edition, country="FR")
    ev = EvaluatorFactory(edition=edition, country="FR")
    EvaluatorFactory(edition=edition, country="US")
    client.force_login(staff_user)
    url = reverse("prize:manage", args=[2023])
    assert client.get(url).status_code == 200
    client.post(url, {"action": "detect_conflicts"})
    assert ev.conflicts.count() == 4
    client.post(url, {"action": "open_round", "round": "1"})
    client.post(url, {"action": "assign", "round": "1"})
    assert Assignment.objects.filter(round__number=1).exclude(evaluator=ev).count() == 4
    response = client.post(url, {"action": "open_round", "round": "2"}, follow=True)
    assert "Close the earlier rounds first." in response.content.decode()
    close_url = reverse("prize:round_close", args=[2023, 1])
    html = client.get(close_url).content.decode()
    assert "4 review(s) missing" in html
    response = client.post(close_url, {"force_reason": " "})
    assert "4 review(s) are missing in round 1" in response.content.decode()
    assert edition.rounds.get(number=1).status == "open"
    client.post(close_url, {"force_reason": "The jury shortlisted at its meeting."})
    r1 = edition.rounds.get(number=1)
    assert (r1.status, r1.close_reason) == ("closed", "The jury shortlisted at its meeting.")
    record = AuditRecord.objects.filter(action="round.close").get()
    assert record.after["forced"] is True and record.after["missing"] == 4
    html = client.get(url).content.decode()
    assert "Closed" in html
    response = client.post(url, {"action": "publish", "confirm": "yes"}, follow=True)
    assert "Not every award is allocated: Tech Gold: 0 of 1" in response.content.decode()
    edition.refresh_from_db()
    assert not edition.results_published


def test_manage_refuses_a_round_that_is_not_a_number(client, staff_user):
    make_edition()
    client.force_login(staff_user)
    url = reverse("prize:manage", args=[2023])
    response = client.post(url, {"action": "open_round", "round": "1x"}, follow=True)
    assert response.status_code == 200
    assert "&#x27;1x&#x27; is not a round number." in response.content.decode()
    response = client.post(url, {"action": "open_round", "round": "9"}, follow=True)
    assert "Smart City Prize 2023 has no round 9." in response.content.decode()
