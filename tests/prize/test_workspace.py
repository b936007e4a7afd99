"""The evaluator's workspace: drafts, comments, progress, blind rounds, documents,
rubric levels; conflicts waived by staff."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories.prize import ApplicationFactory, EvaluatorFactory, make_edition
from urbis.common.actor import Actor
from urbis.common.models import AuditRecord
from urbis.prize import domain, queries
from urbis.prize.models import Assignment, Conflict, Criterion, Score, SupportingDocument

pytestmark = pytest.mark.django_db

CODES = ["problem", "design", "implementation", "monitoring", "impact", "inclusiveness"]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _setup(staff_user, *, blind=False):
    edition = make_edition(2026, reviews=1)
    apps = [
        ApplicationFactory(
            edition=edition,
            reference=f"P2026-0000{i}",
            applicant_name=f"Lisbon {i}",
            country="PT",
        )
        for i in (1, 2)
    ]
    ev = EvaluatorFactory(edition=edition, name="Ana", country="KR")
    r1 = edition.rounds.get(number=1)
    r1.blind = blind
    r1.save()
    domain.round_open(actor=Actor.for_user(staff_user), round_=r1)
    domain.assignments_generate(actor=Actor.for_user(staff_user), round_=r1)
    return edition, r1, apps, ev


def test_draft_then_submit_with_comments_and_progress(staff_user):
    _edition, r1, apps, ev = _setup(staff_user)
    a = Assignment.objects.get(round=r1, application=apps[0])
    domain.review_save_draft(
        actor=Actor.for_user(ev.user),
        assignment=a,
        scores={"problem": "4", "design": ""},
        comments={"problem": "Clear baseline."},
        comment="Promising.",
    )
    a.refresh_from_db()
    assert a.draft == {
        "scores": {"problem": 4},
        "comments": {"problem": "Clear baseline."},
        "comment": "Promising.",
    }
    assert not Score.objects.exists()
    assert len(queries.round_missing(r1)) == 2
    assert queries.review_progress(ev.user)[0] | {"deadline": None} == {
        "round": "Round 1",
        "deadline": None,
        "status": "open",
        "done": 0,
        "total": 2,
    }
    with pytest.raises(ValidationError) as exc:
        domain.review_save_draft(
            actor=Actor.for_user(ev.user), assignment=a, scores={"problem": "9"}
        )
    assert exc.value.message_dict == {"problem": ["Scores run from 1 to 5."]}
    domain.review_submit(
        actor=Actor.for_user(ev.user),
        assignment=a,
        scores=dict.fromkeys(CODES, 3) | {"problem": 4},
        comments={"problem": "Clear baseline."},
        comment="Promising.",
    )
    a.refresh_from_db()
    assert (a.draft, a.comment) == (None, "Promising.")
    assert Score.objects.get(assignment=a, criterion__code="problem").comment == "Clear baseline."
    assert Score.objects.get(assignment=a, criterion__code="design").comment == ""
    assert [(p["done"], p["total"]) for p in queries.review_progress(ev.user)] == [(1, 2)]


def test_workspace_page_shows_content_levels_documents_and_progress(
    client, staff_user, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    edition, r1, apps, ev = _setup(staff_user)
    Criterion.objects.filter(edition=edition, code="impact").update(
        levels={"1": "No evidence of impact", "5": "Measured, lasting impact"}
    )
    doc = SupportingDocument.objects.create(
        application=apps[0],
        title="Project brief",
        file=SimpleUploadedFile("brief.pdf", PDF, content_type="application/pdf"),
    )
    a = Assignment.objects.get(round=r1, application=apps[0])
    client.force_login(ev.user)
    html = client.get(reverse("prize:review", args=[a.pk])).content.decode()
    assert "Lisbon 1" in html
    assert "No evidence of impact" in html and "Measured, lasting impact" in html
    assert f'src="{reverse("prize:document", args=[doc.pk])}"' in html
    assert "0 of 2 done" in html
    response = client.get(reverse("prize:document", args=[doc.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline")
    assert (response["Content-Type"], response.content) == ("application/pdf", PDF)
    post = {c: "3" for c in CODES} | {"comment-impact": "Strong.", "comment": "Good."}
    response = client.post(reverse("prize:review", args=[a.pk]), post | {"draft": ""})
    assert response.status_code == 302
    assert Assignment.objects.get(pk=a.pk).draft["comments"] == {"impact": "Strong."}
    client.post(reverse("prize:review", args=[a.pk]), post | {"submit": ""})
    assert "1 of 2 done" in client.get(reverse("prize:my_reviews")).content.decode()


def test_document_refused_to_an_evaluator_not_assigned(client, staff_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    edition, _r1, apps, _ev = _setup(staff_user)
    doc = SupportingDocument.objects.create(
        application=apps[0], title="Brief", file=SimpleUploadedFile("b.pdf", PDF)
    )
    other = EvaluatorFactory(edition=edition, name="Bo")
    client.force_login(other.user)
    assert client.get(reverse("prize:document", args=[doc.pk])).status_code == 403


def test_blind_round_hides_the_applicant(client, staff_user):
    _edition, r1, apps, ev = _setup(staff_user, blind=True)
    a = Assignment.objects.get(round=r1, application=apps[0])
    client.force_login(ev.user)
    html = client.get(reverse("prize:review", args=[a.pk])).content.decode()
    assert "Blind review" in html
    assert "Lisbon 1" not in html
    assert apps[0].title in html


def test_staff_waive_an_automatic_conflict_with_a_reason(staff_user):
    edition = make_edition(2026, reviews=1)
    app = ApplicationFactory(edition=edition, country="US")
    ev = EvaluatorFactory(edition=edition, country="US")
    domain.conflicts_detect(actor=Actor.for_user(staff_user), edition=edition)
    conflict = Conflict.objects.get(evaluator=ev, application=app)
    with pytest.raises(ValidationError, match="Say why the conflict is waived"):
        domain.conflict_waive(actor=Actor.for_user(staff_user), conflict=conflict, reason="")
    domain.conflict_waive(
        actor=Actor.for_user(staff_user), conflict=conflict, reason="Different states"
    )
    conflict.refresh_from_db()
    assert (conflict.waived, conflict.waiver_reason, conflict.waived_by) == (
        True,
        "Different states",
        staff_user,
    )
    assert AuditRecord.objects.get(action="conflict.waive").after == {
        "waived": True,
        "waiver_reason": "Different states",
    }
    r1 = edition.rounds.get(number=1)
    domain.round_open(actor=Actor.for_user(staff_user), round_=r1)
    assert domain.assignments_generate(actor=Actor.for_user(staff_user), round_=r1) == 1
    assert queries.assignments_of(ev.user).count() == 1
    declared = domain.conflict_declare(
        actor=Actor.for_user(ev.user),
        evaluator=ev,
        application=ApplicationFactory(edition=edition),
        reason="Kin",
    )
    with pytest.raises(ValidationError, match="declared cannot be waived"):
        domain.conflict_waive(actor=Actor.for_user(staff_user), conflict=declared, reason="No")
