import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction

from tests.factories.members import OrganisationFactory, UserFactory
from tests.factories.prize import (
    ApplicationFactory,
    EvaluatorFactory,
    evaluator_user,
    make_edition,
)
from urbis.common.actor import Actor
from urbis.common.models import AuditRecord
from urbis.prize import domain, queries
from urbis.prize.models import Application, Assignment, Award, Conflict, Round, Score

pytestmark = pytest.mark.django_db

WHEN = dt.datetime(2023, 5, 2, 10, 0, tzinfo=dt.UTC)


def _draft(user, **overrides):
    edition = make_edition()
    category = edition.categories.get(code=overrides.pop("category", "tech-innovacity"))
    fields = {
        "applicant_kind": "city",
        "applicant_name": "Wellington",
        "city": "Wellington",
        "country": "NZ",
        "title": "Climate Change Adaptation Digital Twin",
        "summary": "Two-way engagement on a digital twin.",
    }
    fields.update(overrides)
    return domain.application_save_draft(
        actor=Actor.for_user(user), edition=edition, category=category, on=WHEN.date(), **fields
    )


def test_draft_then_submit_then_triage(staff_user):
    user = UserFactory(username="applicant")
    app = _draft(user)
    assert app.status == "draft"
    assert app.reference == "P2023-00001"
    app = domain.application_submit(actor=Actor.for_user(user), application=app, on=WHEN)
    assert (app.status, app.submitted_at) == ("submitted", WHEN)
    app = domain.application_triage(
        actor=Actor.for_user(staff_user), application=app, eligible=True
    )
    assert (app.status, app.reached_round) == ("eligible", 1)
    actions = list(
        AuditRecord.objects.filter(target_id=str(app.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["application.create", "application.submit", "application.triage"]


def test_individual_refused_outside_leadership_on_submit():
    user = UserFactory(username="nominee")
    app = _draft(user, applicant_kind="individual", applicant_name="A Mayor", city="")
    with pytest.raises(ValidationError) as exc:
        domain.application_submit(actor=Actor.for_user(user), application=app, on=WHEN)
    assert exc.value.message_dict == {
        "applicant_kind": ["Individuals may apply only in Leadership, not in Tech-InnovaCity."]
    }
    assert Application.objects.get(pk=app.pk).status == "draft"


def test_individual_accepted_in_leadership():
    user = UserFactory(username="nominee")
    app = _draft(
        user, category="leadership", applicant_kind="individual", applicant_name="A Mayor", city=""
    )
    assert (
        domain.application_submit(actor=Actor.for_user(user), application=app, on=WHEN).status
        == "submitted"
    )


def test_submission_after_the_call_is_refused():
    user = UserFactory(username="late")
    app = _draft(user)
    with pytest.raises(ValidationError, match="The call closed on 2023-07-31"):
        domain.application_submit(
            actor=Actor.for_user(user), application=app, on=dt.datetime(2023, 8, 2, tzinfo=dt.UTC)
        )


def test_another_user_cannot_edit_or_submit_a_draft():
    owner = UserFactory(username="owner")
    other = UserFactory(username="other")
    app = _draft(owner)
    # The edge checks the rule before the domain runs (the page and the API alike).
    with pytest.raises(PermissionDenied):
        Actor.for_user(other).require("prize.change_application", app)
    Actor.for_user(owner).require("prize.change_application", app)


def test_triage_is_staff_only_and_ineligible_needs_a_reason(staff_user):
    user = UserFactory(username="applicant")
    app = domain.application_submit(actor=Actor.for_user(user), application=_draft(user), on=WHEN)
    with pytest.raises(PermissionDenied):
        Actor.for_user(user).require("prize.triage_application")
    with pytest.raises(ValidationError, match="Say why"):
        domain.application_triage(actor=Actor.for_user(staff_user), application=app, eligible=False)


def _round_setup(n_apps=12, n_evs=6, reviews=3):
    edition = make_edition(reviews=reviews)
    apps = [
        ApplicationFactory(edition=edition, country=c, city=f"City {i}")
        for i, c in enumerate(["FR", "DE", "KR", "JP"] * (n_apps // 4))
    ]
    evs = [
        EvaluatorFactory(edition=edition, country=c)
        for c in ["FR", "DE", "KR", "US", "BR", "IN"][:n_evs]
    ]
    return edition, apps, evs


def test_automatic_conflicts_and_assignment(staff_user):
    edition, _apps, _evs = _round_setup()
    created = domain.conflicts_detect(actor=Actor.for_user(staff_user), edition=edition)
    assert created == 9  # 3 FR, 3 DE, 3 KR applications x their compatriot evaluator
    assert set(Conflict.objects.values_list("source", flat=True)) == {"country"}
    r1 = edition.rounds.get(number=1)
    domain.round_open(actor=Actor.for_user(staff_user), round_=r1)
    assert domain.assignments_generate(actor=Actor.for_user(staff_user), round_=r1) == 36
    conflicted = set(Conflict.objects.values_list("evaluator_id", "application_id"))
    pairs = set(Assignment.objects.values_list("evaluator_id", "application_id"))
    assert not pairs & conflicted
    loads = queries.loads(r1)
    assert max(loads.values()) - min(loads.values()) <= 1
    assert sum(loads.values()) == 36


def test_declared_conflict_removes_open_assignment(staff_user):
    edition, apps, evs = _round_setup()
    r1 = edition.rounds.get(number=1)
    domain.round_open(actor=Actor.for_user(staff_user), round_=r1)
    domain.assignments_generate(actor=Actor.for_user(staff_user), round_=r1)
    a = Assignment.objects.filter(evaluator=evs[0]).order_by("pk").first()
    domain.conflict_declare(
        actor=Actor.for_user(evs[0].user),
        evaluator=evs[0],
        application=a.application,
        reason="Former adviser",
    )
    assert not Assignment.objects.filter(pk=a.pk).exists()
    assert not queries.assignments_of(evs[0].user).filter(application=a.application).exists()
    with pytest.raises(PermissionDenied):
        domain.conflict_declare(
            actor=Actor.for_user(evs[1].user), evaluator=evs[0], application=apps[1], reason="x"
        )


def test_same_organisation_conflict_detected(staff_user):
    edition = make_edition()
    org = OrganisationFactory(name="KICT", category="institution")
    app = ApplicationFactory(edition=edition, organisation=org, country="VN", city="")
    ev = EvaluatorFactory(edition=edition, organisation=org, country="US")
    ApplicationFactory(edition=edition, country="VN", city="")
    domain.conflicts_detect(actor=Actor.for_user(staff_user), edition=edition)
    assert list(Conflict.objects.values_list("evaluator_id", "application_id", "source")) == [
        (ev.pk, app.pk, "organisation")
    ]


def _score_all(round_, value_of):
    for a in Assignment.objects.filter(round=round_).select_related(
        "evaluator__user", "application"
    ):
        v = value_of(a)
        domain.review_submit(
            actor=Actor.for_user(a.evaluator.user),
            assignment=a,
            scores={
                c: v
                for c in [
                    "problem",
                    "design",
                    "implementation",
                    "monitoring",
                    "impact",
                    "inclusiveness",
                ]
            },
        )


def test_closed_round_is_immutable_in_domain_and_database(staff_user):
    edition, _apps, _evs = _round_setup()
    r1 = edition.rounds.get(number=1)
    domain.round_open(actor=Actor.for_user(staff_user), round_=r1)
    domain.assignments_generate(actor=Actor.for_user(staff_user), round_=r1)
    _score_all(r1, lambda a: 3)
    domain.round_close(actor=Actor.for_user(staff_user), round_=r1)
    a = Assignment.objects.filter(round=r1).select_related("evaluator__user").first()
    with pytest.raises(
        domain.RoundClosed, match="Round 1 is closed: its scores can no longer change"
    ):
        domain.review_submit(
            actor=Actor.for_user(a.evaluator.user), assignment=a, scores={"problem": 5}
        )
    score = Score.objects.filter(assignment=a).first()
    if connection.vendor in {"sqlite", "postgresql"}:
        with pytest.raises(IntegrityError, match="immutable"), transaction.atomic():
            Score.objects.filter(pk=score.pk).update(value=1)
        with pytest.raises(IntegrityError, match="immutable"), transaction.atomic():
            Score.objects.filter(pk=score.pk).delete()
        with pytest.raises(IntegrityError, match="cannot be reopened"), transaction.atomic():
            Round.objects.filter(pk=r1.pk).update(status="open")
    assert Score.objects.get(pk=score.pk).value == 3


def test_review_checks_scale_and_ownership(staff_user):
    edition, _apps, evs = _round_setup()
    r1 = edition.rounds.get(number=1)
    domain.round_open(actor=Actor.for_user(staff_user), round_=r1)
    domain.assignments_generate(actor=Actor.for_user(staff_user), round_=r1)
    a = Assignment.objects.filter(evaluator=evs[0]).first()
    with pytest.raises(ValidationError) as exc:
        domain.review_submit(
            actor=Actor.for_user(evs[0].user), assignment=a, scores={"problem": 9, "bogus": 1}
        )
    errors = exc.value.message_dict
    assert errors["problem"] == ["Scores run from 1 to 5."]
    assert errors["bogus"] == ["Unknown criterion."]
    assert errors["impact"] == ["A whole-number score is required."]
    with pytest.raises(PermissionDenied):
        domain.review_submit(actor=Actor.for_user(evs[1].user), assignment=a, scores={})
    assert not Score.objects.exists()


def test_three_rounds_advance_and_awards(staff_user):
    edition, apps, _evs = _round_setup(n_apps=12, n_evs=6)
    quality = {app.pk: 1 + (i % 5) for i, app in enumerate(apps)}
    for number in (1, 2, 3):
        r = edition.rounds.get(number=number)
        domain.round_open(actor=Actor.for_user(staff_user), round_=r)
        domain.assignments_generate(actor=Actor.for_user(staff_user), round_=r)
        _score_all(r, lambda a: quality[a.application_id])
        domain.round_close(actor=Actor.for_user(staff_user), round_=r)
    reached = dict(Application.objects.values_list("pk", "reached_round"))
    assert sorted(reached.values()) == [1] * 8 + [2, 2] + [3, 3]
    finalists = set(Application.objects.filter(finalist=True).values_list("pk", flat=True))
    assert len(finalists) == 2
    allocation = domain.awards_allocate(actor=Actor.for_user(staff_user), edition=edition)
    # The best-ranked finalist (by score, then reference) takes gold; silver gets the other.
    ranking = queries.ranking_rows(edition.rounds.get(number=3))
    best = [r["application"].pk for r in ranking]
    assert allocation["tech-gold"] == best[:1]
    assert allocation["tech-silver"] == best[1:2]
    assert Award.objects.count() == 2
    # Scores of round 1 are unchanged by the later rounds.
    assert set(
        Score.objects.filter(assignment__round__number=1).values_list("value", flat=True)
    ) == set(quality.values())


def test_round_must_be_open_to_assign_and_close(staff_user):
    edition, _, _ = _round_setup()
    r1 = edition.rounds.get(number=1)
    with pytest.raises(ValidationError, match="not open for scoring"):
        domain.assignments_generate(actor=Actor.for_user(staff_user), round_=r1)
    with pytest.raises(ValidationError, match="not open"):
        domain.round_close(actor=Actor.for_user(staff_user), round_=r1)
    r2 = edition.rounds.get(number=2)
    with pytest.raises(ValidationError, match="Close the earlier rounds first"):
        domain.round_open(actor=Actor.for_user(staff_user), round_=r2)
    assert Round.objects.get(pk=r1.pk).status == "planned"


def test_special_mention_granted_by_decision(staff_user):
    edition = make_edition()
    app = ApplicationFactory(edition=edition)
    kind = edition.award_kinds.get(code="special-gggi")
    award = domain.award_grant(actor=Actor.for_user(staff_user), kind=kind, application=app)
    assert award.position == 1
    other = ApplicationFactory(edition=edition)
    with pytest.raises(ValidationError, match="has all its 1 award"):
        domain.award_grant(actor=Actor.for_user(staff_user), kind=kind, application=other)


def test_edition_aggregation_is_staff_only_and_validated(staff_user):
    edition = make_edition()
    with pytest.raises(PermissionDenied):
        Actor.for_user(UserFactory(username="x")).require("prize.manage_edition")
    with pytest.raises(ValidationError, match="Unknown aggregation 'mode'"):
        domain.edition_set_aggregation(
            actor=Actor.for_user(staff_user), edition=edition, aggregation="mode"
        )
    assert (
        domain.edition_set_aggregation(
            actor=Actor.for_user(staff_user), edition=edition, aggregation="trimmed"
        ).aggregation
        == "trimmed"
    )


def test_assignment_error_names_the_application(staff_user):
    edition = make_edition(reviews=2)
    app = ApplicationFactory(edition=edition, country="FR", reference="T-LONELY")
    EvaluatorFactory(edition=edition, country="FR")
    EvaluatorFactory(edition=edition, country="DE")
    domain.conflicts_detect(actor=Actor.for_user(staff_user), edition=edition)
    r1 = edition.rounds.get(number=1)
    domain.round_open(actor=Actor.for_user(staff_user), round_=r1)
    with pytest.raises(ValidationError) as exc:
        domain.assignments_generate(actor=Actor.for_user(staff_user), round_=r1)
    assert exc.value.message_dict == {
        "evaluators": ["Application T-LONELY has 1 evaluator(s) free of conflict; it needs 2."]
    }
    assert not Assignment.objects.filter(application=app).exists()


def test_evaluator_must_be_in_the_evaluator_group(staff_user):
    edition = make_edition()
    plain = UserFactory(username="plain")
    with pytest.raises(ValidationError, match="is not in the 'evaluator' group"):
        domain.evaluator_add(
            actor=Actor.for_user(staff_user), edition=edition, user=plain, name="Plain"
        )
    judge = evaluator_user("judge-x")
    ev = domain.evaluator_add(
        actor=Actor.for_user(staff_user), edition=edition, user=judge, name="Judge X", country="KR"
    )
    assert (ev.user, str(ev.country)) == (judge, "KR")
    with pytest.raises(PermissionDenied):
        Actor.for_user(judge).require("prize.manage_edition")


def test_a_draft_update_records_what_changed_and_an_unchanged_one_nothing():
    user = UserFactory(username="applicant")
    app = _draft(user, summary="")  # a draft may lack its summary
    actor = Actor.for_user(user)
    category = app.category
    domain.application_save_draft(
        actor=actor, edition=app.edition, category=category, application=app, on=WHEN.date(),
        title="Digital Twin", summary="",
    )  # fmt: skip
    record = AuditRecord.objects.get(action="application.update")
    assert (record.before, record.after) == (
        {"title": "Climate Change Adaptation Digital Twin"},
        {"title": "Digital Twin"},
    )
    domain.application_save_draft(
        actor=actor, edition=app.edition, category=category, application=app, on=WHEN.date(),
        title="Digital Twin",
    )  # fmt: skip
    assert AuditRecord.objects.filter(action="application.update").count() == 1
    with pytest.raises(ValidationError) as exc:
        domain.application_save_draft(
            actor=actor, edition=app.edition, category=category, application=app,
            on=WHEN.date(), contact_email="not an address",
        )  # fmt: skip
    assert list(exc.value.message_dict) == ["contact_email"]
