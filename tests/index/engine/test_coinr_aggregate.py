"""COINr's aggregation value tests (tests/testthat/test-aggregate.R), one per expectation.

Not expressible here: the tests on COINr's example coin and purse (`agg_coin`,
`agg_purse`, `aggregation by level`, `sum_by_level`), which need its ASEM data set and
user-supplied R functions; the hierarchy itself is tested in test_pipeline.py.
"""

import numpy as np
import pytest

from urbis.index.engine.aggregate import aggregate, copeland, outranking

# agg_df: a 20 x 5 data frame of runif values, as (children, cities)
X = np.random.default_rng(20).uniform(size=(5, 20))


def one_parent(w):
    return np.array([list(map(float, w))])


def test_agg_df_default_is_the_row_mean():
    np.testing.assert_allclose(aggregate(X, one_parent([1] * 5), "arithmetic")[0], X.mean(axis=0))


def test_agg_df_weights_1_to_5():
    out = aggregate(X, one_parent(range(1, 6)), "arithmetic")[0]
    np.testing.assert_allclose(out, np.average(X, axis=0, weights=np.arange(1, 6)))


def test_agg_df_below_the_data_threshold_is_missing():
    x = X.copy()
    x[:4, 0] = np.nan  # 1 of 5 available
    out = aggregate(x, one_parent(range(1, 6)), "arithmetic", threshold=0.5)[0]
    assert np.isnan(out[0])


def test_agg_df_above_the_data_threshold_is_unchanged():
    x = X.copy()
    x[:4, 0] = np.nan
    out = aggregate(x, one_parent(range(1, 6)), "arithmetic", threshold=0.5)[0]
    full = aggregate(X, one_parent(range(1, 6)), "arithmetic")[0]
    np.testing.assert_allclose(out[1:], full[1:])


# agg_functions
COL = np.array([[1.0], [2.0], [3.0]])


def test_agg_functions_gmean():
    out = aggregate(COL, one_parent([1, 1, 1]), "geometric")[0, 0]
    assert out == pytest.approx((1 * 2 * 3) ** (1 / 3))


@pytest.mark.parametrize("bad", [-1.0, 0.0])
def test_agg_functions_gmean_refuses_non_positive(bad):
    with pytest.raises(ValueError, match="positive"):
        aggregate(np.array([[1.0], [2.0], [bad]]), one_parent([1, 1, 1]), "geometric")


def test_agg_functions_gmean_weighted():
    out = aggregate(COL, one_parent([1, 1, 2]), "geometric")[0, 0]
    assert out == pytest.approx((1 * 2 * 3**2) ** (1 / 4))


def test_agg_functions_hmean_weighted():
    out = aggregate(COL, one_parent([2, 1, 1]), "harmonic")[0, 0]
    assert out == pytest.approx(4 / (2 / 1 + 1 / 2 + 1 / 3))


def test_agg_functions_genmean_p_minus_1_is_the_harmonic_mean():
    out = aggregate(COL, one_parent([2, 1, 1]), "generalised", p=-1)[0, 0]
    assert out == pytest.approx(4 / (2 / 1 + 1 / 2 + 1 / 3))


def test_agg_functions_genmean_p_1_is_2():
    assert aggregate(COL, one_parent([1, 1, 1]), "generalised", p=1)[0, 0] == pytest.approx(2)


# outranking: X = data.frame(x1 = 1:4, x2 = c(3:1, 5), x3 = c(2, 3, 1, 4)), as (children, cities)
OUT = np.array([[1.0, 2, 3, 4], [3, 2, 1, 5], [2, 3, 1, 4]])


def test_outranking_matrix_is_4_by_4():
    assert outranking(OUT)[0].shape == (4, 4)


def test_outranking_diagonal_is_0():
    assert np.diag(outranking(OUT)[0]).tolist() == [0, 0, 0, 0]


@pytest.mark.parametrize(("i", "j", "expected"), [(1, 0, 2 / 3), (2, 0, 1 / 3), (3, 0, 1.0)])
def test_outranking_entries(i, j, expected):
    assert outranking(OUT)[0][i, j] == pytest.approx(expected)


def test_outranking_n_dominant_is_3():
    assert outranking(OUT)[1] == 3


def test_outranking_frac_dominant_is_half():
    assert outranking(OUT)[2] == pytest.approx(3 / 6)


# copeland
def test_copeland_is_the_row_sum_of_the_signed_outranking_matrix():
    matrix = outranking(OUT)[0]
    signed = np.sign(matrix - 0.5)
    np.fill_diagonal(signed, 0)
    out = copeland(OUT, one_parent([1, 1, 1]))[0]
    np.testing.assert_allclose(out, signed.sum(axis=1))


TWO = np.array([[1.0, 2.0], [2.0, 1.0]])


def test_copeland_equal_units_outrank_each_other_by_half():
    matrix = outranking(TWO)[0]
    assert (matrix[0, 1], matrix[1, 0]) == (0.5, 0.5)


def test_copeland_equal_units_score_0():
    assert copeland(TWO, one_parent([1, 1]))[0].tolist() == [0, 0]
    assert aggregate(TWO, one_parent([1, 1]), "copeland")[0].tolist() == [0, 0]
