"""The seed's funnel with synthetic data, through the domain: ~200 applications, three
rounds, 18 ranked finalists (+ 3 partner special mentions = the seed's 21), winners."""

import numpy as np
import pytest

from tests.factories.prize import ApplicationFactory, EvaluatorFactory, make_edition
from urbis.common.actor import Actor
from urbis.prize import domain
from urbis.prize.models import Application, Assignment, Award, AwardKind, Criterion, Round, Score

pytestmark = pytest.mark.django_db

COUNTRIES = ["KR", "US", "FR", "DE", "JP", "BR", "IN", "NG", "KE", "MX", "ES", "IT", "VN", "PH"]


def _score_round(round_, quality, rng):
    leaves = list(Criterion.objects.filter(edition=round_.edition).order_by("pk"))
    rows = []
    for a in (
        Assignment.objects.filter(round=round_).order_by("pk").values_list("pk", "application_id")
    ):
        for c in leaves:
            value = int(np.clip(np.rint(quality[a[1]] + rng.normal(0, 0.4)), 1, 5))
            rows.append(Score(assignment_id=a[0], criterion=c, value=value))
    Score.objects.bulk_create(rows)


def test_funnel_200_applications_to_finalists_and_winners(staff_user):
    rng = np.random.default_rng(2023)
    edition = make_edition(reviews=5)
    Round.objects.filter(edition=edition, number=1).update(
        advance_k=25, advance_k_by_category={"leadership": 5}
    )
    Round.objects.filter(edition=edition, number=2).update(
        advance_k=8, advance_k_by_category={"leadership": 2}
    )
    cats = {c.code: c for c in edition.categories.all()}
    kinds = ["city"] * 6 + ["corporation", "institution"]
    apps = []
    for i in range(200):
        code = "leadership" if i < 10 else ("tech-innovacity" if i % 2 else "human-centricity")
        kind = "individual" if code == "leadership" else kinds[(i // 2) % len(kinds)]
        apps.append(
            ApplicationFactory(
                edition=edition,
                category=cats[code],
                applicant_kind=kind,
                country=COUNTRIES[i % len(COUNTRIES)],
            )
        )
    for j in range(40):
        EvaluatorFactory(edition=edition, country=COUNTRIES[j % len(COUNTRIES)])
    quality = {a.pk: rng.normal(3.0, 0.8) for a in apps}
    domain.conflicts_detect(actor=Actor.for_user(staff_user), edition=edition)
    for number in (1, 2, 3):
        r = edition.rounds.get(number=number)
        domain.round_open(actor=Actor.for_user(staff_user), round_=r)
        domain.assignments_generate(actor=Actor.for_user(staff_user), round_=r)
        _score_round(r, quality, rng)
        domain.round_close(actor=Actor.for_user(staff_user), round_=r)
    reached = [Application.objects.filter(reached_round__gte=n).count() for n in (1, 2, 3)]
    assert reached == [200, 55, 18]
    assert Application.objects.filter(finalist=True).count() == 18
    allocation = domain.awards_allocate(actor=Actor.for_user(staff_user), edition=edition)
    ranked = AwardKind.objects.filter(edition=edition).exclude(tier="special")
    assert {k.code: len(allocation[k.code]) for k in ranked} == {k.code: k.count for k in ranked}
    assert Award.objects.filter(kind__edition=edition).count() == sum(k.count for k in ranked)
