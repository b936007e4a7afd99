"""Scoring checked against outside references: Krippendorff's canonical reliability
example at all four levels, calibration with a review that has no total, exact ties."""

import krippendorff
import numpy as np
import pytest
from django.core.exceptions import ValidationError

from urbis.common.actor import Actor
from urbis.prize.scoring import aggregate, agreement, ranking

N = np.nan
# Krippendorff (2011), "Computing Krippendorff's alpha-reliability": 4 observers x 12 units
# with missing values, and the values it publishes for each level of measurement.
CANONICAL = np.array(
    [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
        [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
    ]
)
PUBLISHED = {"nominal": 0.743, "ordinal": 0.815, "interval": 0.849, "ratio": 0.797}


def _flat(matrix):
    ev, app = np.nonzero(~np.isnan(matrix))
    return matrix[ev, app], ev, app


@pytest.mark.parametrize("level", agreement.LEVELS)
def test_alpha_reproduces_the_canonical_example_at_every_level(level):
    values, ev, app = _flat(CANONICAL)
    result = agreement.alpha(values, ev, app, 4, 12, level=level)
    assert round(result, 3) == PUBLISHED[level]
    package = krippendorff.alpha(reliability_data=CANONICAL, level_of_measurement=level)
    assert result == pytest.approx(package, abs=1e-12)


def test_alpha_levels_differ_and_ordinal_is_the_default():
    values, ev, app = _flat(CANONICAL)
    assert agreement.alpha(values, ev, app, 4, 12) == agreement.alpha(
        values, ev, app, 4, 12, level="ordinal"
    )
    assert agreement.DEFAULT_LEVEL == "ordinal"


def test_alpha_unknown_level_is_refused():
    values, ev, app = _flat(CANONICAL)
    with pytest.raises(ValueError, match="Unknown level of measurement 'cardinal'"):
        agreement.alpha(values, ev, app, 4, 12, level="cardinal")


def test_a_review_without_total_does_not_poison_calibration():
    # Evaluator 0 scores apps 0, 1, 2; evaluator 1 scores apps 0, 1 and app 2 with a
    # review whose leaf weights sum to zero (no total).
    scores = np.array([[2.0], [3.0], [4.0], [3.0], [4.0], [5.0]])
    totals = aggregate.weighted_totals(scores, np.array([1.0]))
    totals[5] = aggregate.weighted_totals(np.array([[5.0]]), np.array([0.0]))[0]
    assert np.isnan(totals[5])
    app = np.array([0, 1, 2, 0, 1, 2])
    evaluator = np.array([0, 0, 0, 1, 1, 1])
    calibrated = aggregate.calibrate(totals, evaluator, scale_min=1, scale_max=5)
    assert np.isnan(calibrated[5])
    assert not np.isnan(calibrated[:5]).any()
    # Pooled mean 3.2 and sd 0.7483 of the five totals; evaluator 0's z: -1.2247, 0, 1.2247;
    # evaluator 1's z: -1, 1.
    pooled_mean, pooled_sd = 3.2, float(np.std([2.0, 3.0, 4.0, 3.0, 4.0]))
    z0 = np.array([-1.0, 0.0, 1.0]) * np.sqrt(1.5)
    expected = np.concatenate(
        [pooled_mean + z0 * pooled_sd, pooled_mean + np.array([-1, 1.0]) * pooled_sd]
    )
    np.testing.assert_allclose(calibrated[:5], expected)
    per_app = aggregate.aggregate(totals, app, evaluator, 3, method="calibrated")
    np.testing.assert_allclose(
        per_app,
        [
            (expected[0] + expected[3]) / 2,
            (expected[1] + expected[4]) / 2,
            expected[2],
        ],
    )
    for method in ("mean", "median", "trimmed"):
        result = aggregate.aggregate(totals, app, evaluator, 3, method=method)
        assert result[2] == 4.0, method


def test_exact_ties_go_to_the_tie_break_chain():
    # 0.2*2 + 0.3*3 + 0.5*1 and 0.2*1 + 0.3*2 + 0.5*2 are both 1.8 exactly, but their
    # floating-point totals differ in the last bit.
    weights = np.array([0.2, 0.3, 0.5])
    totals = aggregate.weighted_totals(np.array([[2.0, 3.0, 1.0], [1.0, 2.0, 2.0]]), weights)
    assert totals[0] != totals[1]
    columns = {
        "score": totals,
        "criterion:impact": np.array([1.0, 2.0]),
        "reference": np.array(["P-001", "P-002"]),
    }
    # The second application wins on the tie-break (impact), not on float noise.
    assert ranking.rank_order(["score", "criterion:impact", "reference"], columns).tolist() == [
        1,
        0,
    ]
    # Without a tie-break key the reference settles it.
    assert ranking.rank_order(["score", "reference"], columns).tolist() == [0, 1]


def test_distinct_scores_still_rank_by_score():
    columns = {
        "score": np.array([3.0, 3.0 + 1e-6]),
        "reference": np.array(["P-001", "P-002"]),
    }
    assert ranking.rank_order(["score", "reference"], columns).tolist() == [1, 0]


@pytest.mark.django_db
def test_edition_level_of_measurement_is_configuration(client, staff_user):
    from django.urls import reverse

    from tests.factories.prize import make_edition
    from urbis.prize import domain

    edition = make_edition(2026)
    assert edition.agreement_level == "ordinal"
    with pytest.raises(ValidationError, match="Unknown level 'cardinal'"):
        domain.edition_set_agreement_level(
            actor=Actor.for_user(staff_user), edition=edition, level="cardinal"
        )
    client.force_login(staff_user)
    url = reverse("prize:round", args=[2026, 1])
    client.post(url, {"agreement_level": "interval"})
    edition.refresh_from_db()
    assert edition.agreement_level == "interval"
    assert "Krippendorff's alpha, interval" in client.get(url).content.decode()
