"""The coherence audit on a small hand-computed edition."""

import numpy as np
import pytest

from urbis.index.engine.audit import (
    audit,
    cronbach_alpha,
    pairwise_correlation,
    principal_components,
)
from urbis.index.engine.config import IndexConfig, Indicator, Level, Node
from urbis.index.engine.pipeline import prepare

NAN = np.nan

# a1, a2 → A; b1 → B (both in pillar P); c1 → C (pillar Q); four cities
#   a1 = 1 2 3 4, a2 = 2 4 6 8 (a1 doubled: collinear), b1 = 4 3 2 1 (reversed: negative),
#   c1 = 1 3 2 4
VALUES = np.array(
    [
        [1.0, 2.0, 4.0, 1.0],
        [2.0, 4.0, 3.0, 3.0],
        [3.0, 6.0, 2.0, 2.0],
        [4.0, 8.0, 1.0, 4.0],
    ]
)


def config():
    return IndexConfig(
        indicators=(
            Indicator("a1", "A"),
            Indicator("a2", "A"),
            Indicator("b1", "B"),
            Indicator("c1", "C"),
        ),
        areas=(Node("A", "P"), Node("B", "P"), Node("C", "Q")),
        pillars=(Node("P", "index"), Node("Q", "index")),
        levels={"areas": Level(normalisation="minmax"), "pillars": Level(), "index": Level()},
    )


@pytest.fixture
def result():
    plan = prepare(config(), VALUES)
    return audit(plan, VALUES)


def test_indicator_statistics(result):
    a1 = result.indicators[0]
    assert (a1.code, a1.parent, a1.available, a1.availability) == ("a1", "A", 4, 1.0)
    assert (a1.mean, a1.min, a1.max, a1.treatment, a1.points) == (2.5, 1.0, 4.0, "none", 0)
    assert a1.sd == pytest.approx(np.sqrt(5 / 3))
    # population moments of 1..4: skew 0; m4 / m2² - 3 = 2.5625 / 1.5625 - 3
    assert a1.skew == pytest.approx(0.0, abs=1e-12)
    assert a1.kurtosis == pytest.approx(2.5625 / 1.5625 - 3)


def test_bias_corrected_kurtosis_on_request():
    plan = prepare(config(), VALUES)
    a1 = audit(plan, VALUES, bias_corrected=True).indicators[0]
    # G2 = ((n + 1)(r - 3) + 6)(n - 1) / ((n - 2)(n - 3)), r = n m4 / m2² summed = 1.64
    assert a1.kurtosis == pytest.approx(((5 * (1.64 - 3)) + 6) * 3 / (2 * 1))


def test_flags_within_levels(result):
    pairs = {(p.level, p.a, p.b): (p.r, p.flag) for p in result.pairs}
    assert pairs[("indicators", "a1", "a2")] == (pytest.approx(1.0), "collinear")
    # A = [0, 1/3, 2/3, 1], B = [1, 2/3, 1/3, 0]: r = -1 within pillar P
    assert pairs[("areas", "A", "B")] == (pytest.approx(-1.0), "negative")
    # P = (A + B) / 2 is constant: no correlation with Q
    assert pairs[("pillars", "P", "Q")] == (None, "")
    assert len(result.pairs) == 3
    flagged = result.flagged()
    assert [(f.a, f.b) for f in flagged[:2]] == [("a1", "a2"), ("A", "B")]  # type: ignore[union-attr]
    # b1 = 4 3 2 1 against index = 1/4 + C/2 with c1 = 1 3 2 4: r = -0.8
    assert [(f.code, f.against, f.flag) for f in flagged[2:]] == [  # type: ignore[union-attr]
        ("b1", "index", "negative"),
        ("B", "index", "negative"),
    ]
    assert flagged[2].r == pytest.approx(-0.8)


def test_correlations_across_levels(result):
    cross = {(c.code, c.against): (c.r, c.parent) for c in result.cross}
    assert cross[("a1", "areas")] == (pytest.approx(1.0), "A")
    assert cross[("b1", "pillars")] == (None, "P")  # P is constant
    # index = (P + Q) / 2 = 1/4 + C / 2, and C = c1 normalised: r(c1, index) = 1
    assert cross[("c1", "index")] == (pytest.approx(1.0), "index")
    assert cross[("Q", "index")] == (pytest.approx(1.0), "index")
    assert len(result.cross) == 4 * 3 + 3 * 2 + 2


def test_cronbach_alpha_per_area_and_pillar(result):
    alphas = {(a.level, a.group): (a.children, a.cities, a.alpha) for a in result.alphas}
    assert alphas[("indicators", "A")] == (2, 4, pytest.approx(1.0))  # identical children
    assert alphas[("indicators", "B")] == (1, 4, None)  # one child
    assert alphas[("areas", "P")] == (2, 4, None)  # the sum is constant
    assert len(result.alphas) == 3 + 2 + 1


def test_cronbach_alpha_hand_computed():
    # variances 1 and 4/3; the sum 3, 4, 7 has variance 13/3: alpha = 2 (1 - 7/13)
    alpha, n = cronbach_alpha(np.array([[1.0, 2.0, 3.0, NAN], [2.0, 2.0, 4.0, 9.0]]))
    assert (n, alpha) == (3, pytest.approx(12 / 13))


def test_principal_components(result):
    first = next(c for c in result.components if c.group == "A")
    assert first.children == ("a1", "a2")
    np.testing.assert_allclose(first.variance_explained, [1.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(first.loadings, [1.0, 1.0])


def test_principal_components_of_a_known_correlation():
    # two children with r = 0.6: eigenvalues 1.6 and 0.4, loadings sqrt(0.8) each
    x = np.array([[1.0, 2.0, 3.0, 4.0, 5.0], [2.0, 1.0, 4.0, 3.0, 5.0]])
    r = np.corrcoef(x)[0, 1]
    explained, loadings = principal_components(x)
    np.testing.assert_allclose(explained, [(1 + r) / 2, (1 - r) / 2])
    np.testing.assert_allclose(loadings, [np.sqrt((1 + r) / 2)] * 2)
    assert r == pytest.approx(0.8)


def test_pairwise_correlation_uses_the_cities_both_have():
    x = np.array([[1.0, 2.0, 3.0, NAN, 10.0], [1.0, 2.0, 4.0, 5.0, NAN]])
    r = pairwise_correlation(x)
    expected = np.corrcoef([1.0, 2.0, 3.0], [1.0, 2.0, 4.0])[0, 1]
    assert r[0, 1] == pytest.approx(expected) and r[1, 0] == pytest.approx(expected)
    assert r[0, 0] == pytest.approx(1.0)
    few = pairwise_correlation(np.array([[1.0, 2.0, NAN], [NAN, 1.0, 2.0]]))
    assert np.isnan(few[0, 1])  # one common city


def test_city_availability():
    values = VALUES.copy()
    values[0, 3] = NAN
    values[1, [0, 2]] = NAN
    plan = prepare(config(), values)
    assert audit(plan, values).city_availability == [0.75, 0.5, 1.0, 1.0]
    stats = audit(plan, values).indicators
    assert [s.available for s in stats] == [3, 4, 3, 3]
